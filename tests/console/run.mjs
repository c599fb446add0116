// run.mjs SUITE - runs one browser-test suite of the coach's console against
// a real vindplaats-central (VP_CENTRAL_BIN) with data pushed through the
// device API, driving Debian's /usr/bin/chromium. Exit 0 when every step held.
import { runSuite } from './lib/harness.mjs';

const name = process.argv[2];
if (!name) { console.error('usage: node run.mjs auth|inbox|child|export|admin'); process.exit(2); }
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const suite = await import(`./suites/${name}.mjs`);
process.exit(await runSuite(name, suite.setup, suite.steps, suite.teardown));
