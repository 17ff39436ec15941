/**
 * Seeds one database for the whole e2e run: `npm start` from empty (migrations, demo data, demo extras through the
 * API), stopped cleanly; each test file's worker then starts on a copy of it (harness.ts startWorker), which saves
 * the seeding (about half a minute on two cores) per file while every file still has a database of its own.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startWorker } from './harness';

let template: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const worker = await startWorker({ fresh: true });
  template = worker.persist;
  await worker.stop({ keepDatabase: true });
  project.provide('e2eTemplateDb', template);
}

export function teardown(): void {
  if (template) rmSync(template, { recursive: true, force: true });
}
