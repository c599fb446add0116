// central.mjs - run a real vindplaats-central for the browser tests: demo
// data, serve on 127.0.0.1:0 (the port it prints), CLI commands, stop by pid.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';

export function centralBin() {
  const bin = process.env.VP_CENTRAL_BIN;
  if (!bin) throw new Error('VP_CENTRAL_BIN is not set (ctest sets it to the vindplaats-central target)');
  return bin;
}

export function cli(dataDir, args, stdin) {
  const r = spawnSync(centralBin(), [...args, '--data', dataDir], { input: stdin ?? '', encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`vindplaats-central ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// `demo`: the coach's email and password and LOCATION_ID<TAB>CODE<TAB>NAME lines.
export function demo(dataDir) {
  const out = cli(dataDir, ['demo']);
  const m = out.match(/Coach: (\S+), wachtwoord: (\S+)/) || out.match(/Coach: (\S+), password: (\S+)/);
  if (!m) throw new Error(`cannot read the coach from demo output:\n${out}`);
  const locations = out.split('\n').map((l) => l.split('\t')).filter((p) => p.length === 3)
    .map(([id, code, name]) => ({ id, code, name }));
  return { email: m[1], password: m[2], locations };
}

export function addCoach(dataDir, email, name, password, locationIds) {
  cli(dataDir, ['add-coach', '--email', email, '--name', name, ...locationIds.flatMap((id) => ['--location', id])], `${password}\n`);
}

export function enrollCode(dataDir, locationId) {
  return cli(dataDir, ['enroll-code', '--location', locationId]).trim().split(/\s+/).pop();
}

export class Central {
  constructor(dataDir, env) { this.dataDir = dataDir; this.env = env || {}; this.proc = null; this.url = ''; }

  async start() {
    const proc = spawn(centralBin(), ['serve', '--data', this.dataDir, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.stderr = '';
    proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-20000);
      if (process.env.VP_TEST_VERBOSE) process.stderr.write(d);
    });
    let buf = '';
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('central did not say "listening on" within 20 s')), 20000);
      proc.stdout.on('data', (d) => {
        buf += d;
        const m = buf.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`central exited early (${code})`)); });
    });
    return this.url;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const p = this.proc;
    const done = once(p, 'exit');
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 15000);
    const [code, signal] = await done;
    clearTimeout(timer);
    this.proc = null;
    // a clean stop exits 0; anything else (a sanitizer report, a crash) fails the test
    if (code !== 0) throw new Error(`central exited with ${code ?? signal} on SIGTERM:\n${this.stderr.slice(-4000)}`);
  }
}
