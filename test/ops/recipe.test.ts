/**
 * The Dockerfile and scripts/verify-image-recipe.sh (which CI runs instead of a Docker build) must not
 * drift apart: every RUN step, the runtime ENV names, the COPY sources and the HEALTHCHECK command of
 * the Dockerfile must appear in the script, and the image must keep its production properties.
 * Fast: reads three files, installs nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Instructions with `\` continuations joined and comments dropped; FROM starts a stage. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!pending && /^\s*(#|$)/.test(line)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(collapse(pending + line));
    pending = '';
  }
  if (pending) logical.push(collapse(pending));

  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const [, image = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      const resolved = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => args.get((a ?? b)!) ?? '');
      stages.push({ name, image: resolved, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

function stage(stages: Stage[], name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage "${name}" (has: ${stages.map((s) => s.name || '?').join(', ')})`);
  return found;
}

const all = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

function envOf(s: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const args of all(s, 'ENV')) {
    for (const pair of args.split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return env;
}

/** Script lines that run something (not comments), trimmed. */
function commandLines(script: string): string[] {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Refers to a path inside the container (/app, /data), which the script maps to its temp folders. */
const containerPath = /(^|\s)\/(app|data)\b/;

/**
 * What the script lacks of the Dockerfile's RUN steps (build and runtime stages). Each RUN must be
 * quoted in a `# Dockerfile: RUN ...` comment, and each `&&` part must be run as a line of its own,
 * or announced with `skip_step "<part>"`; a part using container paths must be followed by the same
 * command (first two words) right after the comment, since its paths differ.
 */
function missingRunSteps(dockerfile: string, script: string): string[] {
  const { stages } = parseDockerfile(dockerfile);
  const scriptLines = script.split('\n').map((l) => l.trim());
  const commands = commandLines(script);
  const problems: string[] = [];
  for (const name of ['build', 'runtime']) {
    for (const run of all(stage(stages, name), 'RUN')) {
      const at = scriptLines.indexOf(`# Dockerfile: RUN ${run}`);
      if (at < 0) {
        problems.push(`no "# Dockerfile: RUN ${run}" comment`);
        continue;
      }
      const next = scriptLines.slice(at + 1).find((l) => l && !l.startsWith('#')) ?? '';
      for (const part of run.split('&&').map(collapse)) {
        if (containerPath.test(part)) {
          const head = part.split(' ').slice(0, 2).join(' ');
          if (!next.includes(head)) problems.push(`"${part}" (container paths): "${head}" is not in the line after the comment`);
        } else if (!commands.some((l) => l === part || l.startsWith(`${part} `) || l.startsWith(`skip_step "${part}"`))) {
          problems.push(`"${part}" is neither run nor skipped with skip_step`);
        }
      }
    }
  }
  return problems;
}

const dockerfile = read('Dockerfile');
const script = read('scripts/verify-image-recipe.sh');
const { stages } = parseDockerfile(dockerfile);
const build = stage(stages, 'build');
const runtime = stage(stages, 'runtime');

describe('Dockerfile ↔ scripts/verify-image-recipe.sh', () => {
  it('runs every RUN step of the build and runtime stages', () => {
    expect(all(build, 'RUN').length).toBeGreaterThan(0);
    expect(all(runtime, 'RUN').length).toBeGreaterThan(0);
    expect(missingRunSteps(dockerfile, script)).toEqual([]);
  });

  it('notices a RUN step the script does not have (the check can fail)', () => {
    const drifted = dockerfile.replace('RUN npm run build', 'RUN npm run build\nRUN npm run lint');
    expect(missingRunSteps(drifted, script)).toEqual(['no "# Dockerfile: RUN npm run lint" comment']);
    const changedFlags = dockerfile.replace('RUN npm ci --no-audit --no-fund', 'RUN npm ci --no-audit --no-fund --ignore-scripts');
    expect(missingRunSteps(changedFlags, script)).toContain('no "# Dockerfile: RUN npm ci --no-audit --no-fund --ignore-scripts" comment');
  });

  it('runs the HEALTHCHECK command verbatim', () => {
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    const cmd = /\bCMD (.+)$/.exec(healthcheck ?? '')?.[1];
    expect(cmd, 'the runtime stage needs HEALTHCHECK ... CMD <command>').toBeTruthy();
    expect(script.split('\n')).toContain(cmd);
    expect(script).toMatch(/sh -c "\$HEALTHCHECK_CMD"/);
  });

  it('copies what the build stage COPYs from the context', () => {
    const sources = all(build, 'COPY')
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(' ').slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'src', 'commands', 'scripts']));
    for (const source of sources) expect(script, `the script does not copy ${source}`).toContain(`"$REPO/${source}"`);
  });

  it('copies the same data into the runtime stage as the script does (collection and vocabularies)', () => {
    const fromDockerfile = all(runtime, 'COPY')
      .filter((a) => !a.startsWith('--from'))
      .flatMap((a) => a.split(' ').slice(0, -1))
      .filter((source) => source.startsWith('data/'))
      .sort();
    const fromScript = [...script.matchAll(/"\$REPO\/(data\/[^"]+)"/g)].map((m) => m[1]!).sort();
    expect(fromDockerfile).toEqual(expect.arrayContaining(['data/papers.txt', 'data/vocab']));
    expect(fromDockerfile).toEqual(fromScript);
  });

  it('sets every runtime ENV variable', () => {
    const names = [...envOf(runtime).keys()];
    expect(names).toEqual(expect.arrayContaining(['NODE_ENV', 'STATE_PATH', 'HEALTH_PORT', 'EMBEDDING_MODEL']));
    for (const name of names) expect(script, `the script does not set ${name}`).toMatch(new RegExp(`(^|\\s)${name}=`, 'm'));
  });

  it('is strict bash that cleans up after itself', () => {
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toMatch(/^set -euo pipefail$/m);
    expect(script).toMatch(/^trap cleanup EXIT$/m);
  });
});

describe('the image', () => {
  it('runs on a slim Node 20 image in both stages', () => {
    for (const s of [build, runtime]) expect(s.image).toMatch(/^node:20(\.\d+)*-[\w-]*slim$/);
  });

  it('runs as a non-root USER', () => {
    const users = all(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.lastIndexOf('USER')).toBeLessThan(keywords.lastIndexOf('CMD'));
  });

  it('keeps the state on a volume', () => {
    expect(all(runtime, 'VOLUME').join(' ')).toMatch(/(^|[\s"[])\/data\/state([\s"\]]|$)/);
    expect(envOf(runtime).get('STATE_PATH')).toMatch(/^\/data\/state\//);
  });

  it('skips onnxruntime CUDA downloads in both stages', () => {
    for (const s of [build, runtime]) expect(envOf(s).get('ONNXRUNTIME_NODE_INSTALL')).toBe('skip');
  });

  it('installs production dependencies only at run time', () => {
    const runs = all(runtime, 'RUN');
    expect(runs.some((r) => /\bnpm ci --omit=dev\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (ci|install)\b(?!.*--omit=dev)/.test(r))).toBe(false);
  });

  it('keeps local and secret files out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data/index', 'data/models', 'data/state', '.git']));
    // …but not what the Dockerfile copies.
    for (const needed of ['src', 'commands', 'scripts', 'data/papers.txt', 'data/vocab', 'package.json', 'package-lock.json']) {
      expect(ignored).not.toContain(needed);
    }
  });
});

describe('installing without a network', () => {
  it('.npmrc tells onnxruntime-node not to download CUDA (npm 10, which Node 20 ships, ignores package.json allowScripts)', () => {
    const settings = read('.npmrc').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(settings).toContain('onnxruntime-node-install-cuda=skip');
  });
});
