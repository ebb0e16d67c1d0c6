/** Modals in the fake, with a real discord.js client: Discord's validation of the form, and the client's rules on submit. */
import { describe, expect, it } from 'vitest';
import { Events, GatewayIntentBits, type Client, type Interaction } from 'discord.js';
import type { FakeDiscord } from './index.js';
import { modalSubmitData, validateModal } from './modals.js';
import { fakeDiscordSessions } from './test-session.js';

const login = fakeDiscordSessions();

function loggedIn(onInteraction: (i: Interaction) => Promise<void>): Promise<{ fake: FakeDiscord; client: Client }> {
  return login({ intents: [GatewayIntentBits.Guilds] }, undefined, (client) => {
    client.on(Events.InteractionCreate, (i) => void onInteraction(i).catch(() => undefined));
  });
}

const FORM = {
  custom_id: 'note:form',
  title: 'Write a note',
  components: [
    { type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1, max_length: 10, required: true } },
    { type: 1, components: [{ type: 4, custom_id: 'body', label: 'Body', style: 2, min_length: 3, required: false }] },
  ],
};

describe('modals', () => {
  it('a slash command opens a form; submitting delivers MODAL_SUBMIT with the values, which the bot answers', async () => {
    const got: Record<string, string>[] = [];
    const { fake } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.showModal(FORM);
      else if (i.isModalSubmit()) {
        got.push({ id: i.customId, title: i.fields.getTextInputValue('title'), body: i.fields.getTextInputValue('body') });
        await i.reply({ content: 'saved' });
      }
    });
    const ex = fake.slashCommand('note');
    expect((await ex.callback).type).toBe(9);
    expect(ex.modal?.custom_id).toBe('note:form');
    const submit = fake.submitModal(ex, { title: 'a very long title indeed', body: 'hello' });
    expect((await submit.callback).type).toBe(4);
    // The text box kept max_length characters, as Discord's client does with a longer paste.
    expect(got).toEqual([{ id: 'note:form', title: 'a very lon', body: 'hello' }]);
    expect(submit.payload.type).toBe(5);
    expect(submit.payload.member.user.id).toBe(ex.payload.member.user.id);
  });

  it("the client will not submit an empty required field or a too-short one; asTyped sends anything", () => {
    expect(() => modalSubmitData(FORM, { body: 'hello' })).toThrow(/required field "title" is empty/);
    expect(() => modalSubmitData(FORM, { title: 'x', body: 'hi' })).toThrow(/shorter than min_length 3/);
    expect(() => modalSubmitData(FORM, { nope: 'x' })).toThrow(/has no field "nope"/);
    const raw = modalSubmitData(FORM, { title: '', body: 'y'.repeat(5000) }, { asTyped: true });
    expect(raw.components[0].component).toMatchObject({ type: 4, custom_id: 'title', value: '' });
    expect(raw.components[1].components[0].value).toHaveLength(5000);
  });

  it("Discord's limits on the form itself: 400 50035 naming the field", async () => {
    const bad = {
      custom_id: 'x'.repeat(101),
      title: 'A form title that is longer than forty-five chars',
      components: [{ type: 18, label: 'L', component: { type: 4, custom_id: 'a', style: 3, max_length: 4001, value: 'v' } }],
    };
    const invalid = validateModal(bad);
    expect(invalid.errors.map((e) => e.path).sort()).toEqual(['components.0.component.max_length', 'components.0.component.style', 'custom_id', 'title']);
    expect(validateModal({ custom_id: 'a', title: 'b', components: [] }).errors.map((e) => e.path)).toEqual(['components']);
    let status: unknown;
    const { fake } = await loggedIn(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.showModal(bad).catch((err: { status?: number; code?: number }) => (status = [err.status, err.code]));
    });
    const ex = fake.slashCommand('note');
    await fake.waitForRequest('POST', /\/callback$/);
    await new Promise((r) => setTimeout(r, 50));
    expect(status).toEqual([400, 50035]);
    expect(ex.modal).toBeUndefined();
    expect(() => fake.submitModal(ex, {})).toThrow(/did not open a modal/);
  });

  it('a modal submit may not answer with another modal (400), but may reply', async () => {
    const { fake } = await loggedIn(async (i) => {
      if (i.isChatInputCommand()) await i.showModal(FORM);
    });
    const ex = fake.slashCommand('note');
    await ex.callback;
    const submit = fake.submitModal(ex, { title: 'ok' });
    const post = (type: number, data: unknown) =>
      fetch(`${fake.apiBase}/v10/interactions/${submit.id}/${submit.token}/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type, data }) });
    expect((await post(9, FORM)).status).toBe(400);
    expect((await post(4, { content: 'fine' })).status).toBe(204);
  });
});
