import path from 'node:path';
import { writeWorkflowBundle } from '../worker/workflow-bundle.js';

// `npm run build:workflows [-- out-file]`: the prebuilt bundle a production worker loads (README, Changing workflow code safely).
const outFile = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
await writeWorkflowBundle(outFile);
console.log(`workflow bundle written to ${outFile}`);
