import { statSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Where the files are that start servers and processes and sync whole mailboxes: each takes up to minutes. */
const endToEnd = ['test/workflows/', 'test/scripts/', 'test/console/'];

/**
 * vitest runs the longest files first when it has their durations from an
 * earlier run, but a fresh clone (CI) has none, and then it orders by file
 * size, which put a 105-second end-to-end test last, alone on one of the two
 * workers. Without recorded durations for every file, end-to-end files go
 * first (largest first) and the quick ones fill the end.
 */
export class EndToEndFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (spec: TestSpecification) => `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
    if (files.every((spec) => this.ctx.cache.getFileTestResults(key(spec))?.duration)) return super.sort(files);
    const order = new Map(files.map((spec) => [spec, { endToEnd: endToEnd.some((prefix) => path.relative(root, spec.moduleId).startsWith(prefix)), size: statSync(spec.moduleId).size }]));
    return [...files].sort((a, b) => Number(order.get(b)!.endToEnd) - Number(order.get(a)!.endToEnd) || order.get(b)!.size - order.get(a)!.size);
  }
}
