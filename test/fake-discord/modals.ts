/**
 * Modals (forms), as Discord has them:
 *   - the bot answers an interaction with callback type 9 { custom_id (1–100), title (1–45), components: 1–5 }.
 *     Top-level components: Label (type 18: label 1–45, description ≤ 100, component: a text input) or the older
 *     action row (type 1) holding exactly one text input that carries its own label (≤ 45). A text input (type 4):
 *     custom_id 1–100 (unique in the modal), style 1 (short) | 2 (paragraph), min_length 0–4000, max_length 1–4000,
 *     min ≤ max, required (default true), value ≤ 4000 and within max_length, placeholder ≤ 100. A modal cannot
 *     answer an autocomplete or another modal submit. Invalid → 400 50035 with the nested errors, like any body.
 *   - the person fills it in and presses Submit: INTERACTION_CREATE type 5 (MODAL_SUBMIT) with data
 *     { custom_id, components } mirroring the modal, each text input as { type: 4, id, custom_id, value }.
 *     Discord's client enforces the form's own limits before anything is sent: a text box takes at most
 *     max_length characters (a longer paste is cut there), and Submit stays disabled while a required field is
 *     empty or shorter than min_length. `submitModal` does the same (a refused submit throws, naming the field);
 *     `{ asTyped: true }` sends the values exactly as given, as a modified client could.
 */
import { InvalidBody } from './validate.js';
import type { Json } from './payloads.js';

export const MODAL_LIMITS = { customId: 100, title: 45, components: 5, label: 45, description: 100, placeholder: 100, textInput: 4000 } as const;

const TEXT_INPUT = 4;
const ACTION_ROW = 1;
const LABEL = 18;

/** The text inputs of a modal, with where they sit (label or action row). */
export function textInputsOf(modal: Json): Json[] {
  const inputs: Json[] = [];
  for (const c of modal.components ?? []) {
    if (c?.type === LABEL && c.component?.type === TEXT_INPUT) inputs.push(c.component);
    if (c?.type === ACTION_ROW) for (const inner of c.components ?? []) if (inner?.type === TEXT_INPUT) inputs.push(inner);
  }
  return inputs;
}

export function validateModal(data: Json | undefined): InvalidBody {
  const v = new InvalidBody();
  const modal = data ?? {};
  v.required('custom_id', modal.custom_id);
  v.max('custom_id', modal.custom_id, MODAL_LIMITS.customId);
  v.required('title', modal.title);
  v.max('title', modal.title, MODAL_LIMITS.title);
  const components: Json[] = Array.isArray(modal.components) ? modal.components : [];
  if (components.length < 1 || components.length > MODAL_LIMITS.components) {
    v.add('components', 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${MODAL_LIMITS.components} in length.`);
  }
  const ids = new Set<string>();
  components.forEach((c, i) => {
    const p = `components.${i}`;
    if (c?.type === LABEL) {
      v.required(`${p}.label`, c.label);
      v.max(`${p}.label`, c.label, MODAL_LIMITS.label);
      v.max(`${p}.description`, c.description, MODAL_LIMITS.description);
      if (c.component?.type !== TEXT_INPUT) v.add(`${p}.component`, 'COMPONENT_TYPE_INVALID', 'This fake supports text inputs in labels.');
      else validateTextInput(v, `${p}.component`, c.component, ids, false);
    } else if (c?.type === ACTION_ROW) {
      const inner: Json[] = c.components ?? [];
      if (inner.length !== 1 || inner[0]?.type !== TEXT_INPUT) v.add(`${p}.components`, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'A modal action row holds exactly one text input.');
      else validateTextInput(v, `${p}.components.0`, inner[0]!, ids, true);
    } else {
      v.add(`${p}.type`, 'COMPONENT_TYPE_INVALID', `Component type ${String(c?.type)} is not valid at the top of a modal.`);
    }
  });
  return v;
}

function validateTextInput(v: InvalidBody, p: string, input: Json, ids: Set<string>, needsLabel: boolean): void {
  v.required(`${p}.custom_id`, input.custom_id);
  v.max(`${p}.custom_id`, input.custom_id, MODAL_LIMITS.customId);
  if (ids.has(input.custom_id)) v.add(`${p}.custom_id`, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  ids.add(input.custom_id);
  if (input.style !== 1 && input.style !== 2) v.add(`${p}.style`, 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2).');
  if (needsLabel) {
    v.required(`${p}.label`, input.label);
    v.max(`${p}.label`, input.label, MODAL_LIMITS.label);
  }
  v.max(`${p}.placeholder`, input.placeholder, MODAL_LIMITS.placeholder);
  const min = input.min_length;
  const max = input.max_length;
  if (min !== undefined && (!Number.isInteger(min) || min < 0 || min > MODAL_LIMITS.textInput)) v.add(`${p}.min_length`, 'NUMBER_TYPE_MAX', `int value should be between 0 and ${MODAL_LIMITS.textInput}.`);
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MODAL_LIMITS.textInput)) v.add(`${p}.max_length`, 'NUMBER_TYPE_MAX', `int value should be between 1 and ${MODAL_LIMITS.textInput}.`);
  if (min !== undefined && max !== undefined && min > max) v.add(`${p}.min_length`, 'BASE_TYPE_BAD_LENGTH', 'min_length must not exceed max_length.');
  v.max(`${p}.value`, input.value, Math.min(max ?? MODAL_LIMITS.textInput, MODAL_LIMITS.textInput));
}

/**
 * The MODAL_SUBMIT `data` for `values` typed into `modal` (custom id → text). Unless `asTyped`, the client's
 * rules apply: each value is cut to its max_length, and a required field left empty (or one shorter than
 * min_length) refuses the submit with an Error naming the field. A value for a field the modal lacks is an Error.
 */
export function modalSubmitData(modal: Json, values: Record<string, string>, opts: { asTyped?: boolean } = {}): Json {
  const inputs = textInputsOf(modal);
  for (const key of Object.keys(values)) {
    if (!inputs.some((i) => i.custom_id === key)) throw new Error(`fake-discord: modal ${modal.custom_id} has no field "${key}"`);
  }
  let nextId = 1;
  const filled = (input: Json): Json => {
    let value = values[input.custom_id] ?? input.value ?? '';
    if (!opts.asTyped) {
      const max = input.max_length ?? MODAL_LIMITS.textInput;
      if ([...value].length > max) value = [...value].slice(0, max).join('');
      const required = input.required ?? true;
      if (required && value.length === 0) {
        throw new Error(`fake-discord: Discord's client does not submit modal ${modal.custom_id} while the required field "${input.custom_id}" is empty ("This field is required")`);
      }
      if (value.length > 0 && input.min_length !== undefined && [...value].length < input.min_length) {
        throw new Error(`fake-discord: Discord's client does not submit modal ${modal.custom_id}: "${input.custom_id}" is shorter than min_length ${input.min_length}`);
      }
    }
    return { type: TEXT_INPUT, id: nextId++, custom_id: input.custom_id, value };
  };
  const components = (modal.components as Json[]).map((c) => {
    if (c.type === LABEL) return { type: LABEL, id: nextId++, component: filled(c.component) };
    return { type: ACTION_ROW, id: nextId++, components: (c.components as Json[]).map(filled) };
  });
  return { custom_id: modal.custom_id, components };
}
