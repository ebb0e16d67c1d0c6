import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { StateStore } from '../../src/store/state.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function cli(args: string[], env: Record<string, string>, cwd: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { stdin: Readable.from([]), stdout: out, stderr: err, env, cwd });
  return { code, stdout, stderr };
}

describe('paperbot backup', () => {
  const defaults = { channelId: null, time: '09:00', timezone: 'UTC', count: 3 };

  it('copies the state database while it is open elsewhere, and the copy opens with its data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-backup-'));
    dirs.push(dir);
    const statePath = path.join(dir, 'state.sqlite');
    const live = StateStore.open(statePath); // the running bot's handle stays open
    live.daily.updateSettings('g1', { time: '07:45' }, defaults);
    const result = await cli(['backup', 'copy.sqlite'], { STATE_PATH: statePath, LOG_LEVEL: 'silent' }, dir);
    live.close();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Backed up/);
    const copy = StateStore.open(path.join(dir, 'copy.sqlite'));
    expect(copy.daily.getSettings('g1', defaults).time).toBe('07:45');
    copy.close();
  });

  it('never overwrites a file, and says so when there is nothing to back up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paperbot-backup-'));
    dirs.push(dir);
    const statePath = path.join(dir, 'state.sqlite');
    const missing = await cli(['backup', 'copy.sqlite'], { STATE_PATH: statePath, LOG_LEVEL: 'silent' }, dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no state database/);
    StateStore.open(statePath).close();
    writeFileSync(path.join(dir, 'taken.sqlite'), 'precious');
    const taken = await cli(['backup', 'taken.sqlite'], { STATE_PATH: statePath, LOG_LEVEL: 'silent' }, dir);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/already exists/);
  });
});
