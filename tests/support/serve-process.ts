import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'tests', 'fixtures', 'cli', 'gatehouse-from-source.ts');

export interface ServedProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout (JSON log lines and the operator lines). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export { freePort } from './free-port.js';

/** Starts `gatehouse <command>` (serve by default) as a real process and resolves with its URL once it listens. */
export function serveProcess(env: Record<string, string>, command: string[] = ['serve']): Promise<ServedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...command], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', SERVER_PORT: '0', GATEHOUSE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gatehouse did not start within 60 s: ${stderr}\n${stdout}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] && !/listening on (http:\/\/\S+)/.test(before)) {
        clearTimeout(timer);
        resolve({
          child, url: match[1], exited,
          stdout: () => stdout,
          stderr: () => stderr,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse exited (${code}) before listening: ${stderr}`));
    });
  });
}
