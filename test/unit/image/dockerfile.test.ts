// The Dockerfile's structure, without Docker: the stages, a current Node LTS slim base, a runtime
// stage with only what runs (no npm, no dev dependencies, no sources), lvscare as the entrypoint,
// and a .dockerignore that lets in exactly what the Dockerfile copies. The reader used here is the
// one scripts/image/verify-rootfs.sh applies the steps with, so both see the same Dockerfile.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, planLines, type Stage, type Step } from '../../../scripts/image/dockerfile.mjs';
import { REPO_ROOT } from '../manifests/files.js';

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const byName = (name: string): Stage => stages.find((s) => s.name === name)!;
const steps = <K extends Step['kind']>(stage: Stage, kind: K) => stage.steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
const runtime = stages.at(-1)!;
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

describe('the Dockerfile', () => {
  it('has a build, a deps and a runtime stage, the runtime last (what `docker build` produces)', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
  });

  it('builds every stage on one Node LTS slim image, pinned by major and Debian release', () => {
    const images = new Set(stages.map((s) => s.image));
    expect(images.size).toBe(1);
    const m = /^node:(\d+)-(trixie|bookworm)-slim$/.exec(runtime.image);
    expect(m, runtime.image).not.toBeNull();
    const major = Number(m![1]);
    expect(major % 2, 'LTS lines are the even majors').toBe(0);
    expect(major).toBeGreaterThanOrEqual(24);
  });

  it('builds with dev dependencies and tsc in the build stage', () => {
    expect(steps(byName('build'), 'RUN').map((r) => r.command)).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npm run build']);
    expect(pkg.scripts['build']).toMatch(/^tsc /);
  });

  it('installs production dependencies only, optional ones kept (koffi\'s prebuilt binary)', () => {
    const [install] = steps(byName('deps'), 'RUN').map((r) => r.command);
    expect(install).toMatch(/^npm ci .*--omit=dev/);
    expect(install).not.toMatch(/--omit=optional|--no-optional|--include=dev/);
    expect(Object.keys(pkg.dependencies)).toContain('koffi');
    expect(Object.keys(pkg.dependencies)).not.toContain('typescript');
  });

  it('runs nothing in the runtime stage but the removal of npm, and installs nothing there', () => {
    const runs = steps(runtime, 'RUN').map((r) => r.command);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^rm -rf /);
    for (const path of ['/usr/local/lib/node_modules', '/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/bin/corepack']) expect(runs[0]!.split(' ')).toContain(path);
    expect(runs.join('\n')).not.toMatch(/npm (ci|install)|apt-get|tsc|gcc|make/);
  });

  it('copies into the runtime only dist/, the production node_modules and package.json', () => {
    expect(steps(runtime, 'WORKDIR').map((w) => w.path)).toEqual(['/app']);
    expect(steps(runtime, 'COPY').map((c) => [c.from, c.sources, c.dest])).toEqual([
      ['deps', ['/app/node_modules'], './node_modules'],
      ['build', ['/app/dist'], './dist'],
      [null, ['package.json'], './'],
    ]);
    expect(steps(runtime, 'ENV').map((e) => `${e.key}=${e.value}`)).toEqual(['NODE_ENV=production']);
  });

  it('has lvscare as its entrypoint: node on package.json\'s bin, under /app', () => {
    const [entrypoint] = steps(runtime, 'ENTRYPOINT');
    expect(entrypoint?.argv).toEqual(['node', `/app/${pkg.bin['lvscare']}`]);
    expect(steps(runtime, 'CMD').map((c) => c.argv)).toEqual([['--help']]);
  });

  it('copies from the context only files that exist, and .dockerignore lets in exactly those', () => {
    const sources = [...new Set(stages.flatMap((s) => steps(s, 'COPY').filter((c) => c.from === null).flatMap((c) => c.sources)))].sort();
    for (const source of sources) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
    const ignore = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    expect(ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, '')).sort()).toEqual(sources);
  });
});

describe('the Dockerfile reader', () => {
  const parse = (text: string) => () => parseDockerfile(text);

  it('reads the subset: continuations, comments, ENV pairs, COPY --from, exec-form ENTRYPOINT', () => {
    const [a, b] = parseDockerfile('# c\nFROM x:1 AS a\nRUN echo 1 \\\n  # inside\n  && echo 2\nENV A=1 B=two\nFROM x:1 AS b\nCOPY --from=a /o ./p/\nENTRYPOINT ["n", "m"]\n');
    expect(a?.steps).toEqual([
      { kind: 'RUN', command: 'echo 1 && echo 2', line: 3 },
      { kind: 'ENV', key: 'A', value: '1', line: 6 },
      { kind: 'ENV', key: 'B', value: 'two', line: 6 },
    ]);
    expect(b?.steps).toEqual([
      { kind: 'COPY', from: 'a', sources: ['/o'], dest: './p/', line: 8 },
      { kind: 'ENTRYPOINT', argv: ['n', 'm'], line: 9 },
    ]);
  });

  it('refuses what it does not support, naming the line', () => {
    expect(parse('FROM x\n')).toThrow('Dockerfile:1: FROM must be "FROM <image> AS <name>"');
    expect(parse('FROM x AS a\nADD a.tgz /\n')).toThrow('Dockerfile:2: ADD is not in the subset');
    expect(parse('FROM x AS a\nARG V=1\n')).toThrow('Dockerfile:2: ARG is not in the subset');
    expect(parse('FROM x AS a\nCOPY --chown=1 a /b\n')).toThrow('Dockerfile:2: COPY supports no option but --from=<stage>');
    expect(parse('FROM x AS a\nCOPY src/*.ts /b\n')).toThrow('paths must be plain');
    expect(parse('FROM x AS a\nCOPY --from=later /a /b\n')).toThrow('--from=later: no earlier stage');
    expect(parse('FROM x AS a\nENTRYPOINT node bin.js\n')).toThrow('Dockerfile:2: ENTRYPOINT must be in JSON (exec) form');
    expect(parse('FROM x AS a\nENV A="b c"\n')).toThrow('ENV supports only key=value pairs');
    expect(parse('FROM x AS a\nWORKDIR app\n')).toThrow('WORKDIR needs one absolute path');
    expect(parse('RUN true\n')).toThrow('Dockerfile:1: RUN before FROM');
    expect(parse('FROM x AS a\nRUN a \\')).toThrow('ends inside a continued line');
  });

  it('renders the plan verify-rootfs.sh reads, free text in base64', () => {
    expect(planLines(parseDockerfile('FROM x:1 AS a\nWORKDIR /w\nENV K=v\nCOPY a b ./\nRUN echo "hi there"\nENTRYPOINT ["node", "/b.js"]\n'))).toEqual([
      'STAGE a x:1',
      'WORKDIR /w',
      `ENV K ${Buffer.from('v').toString('base64')}`,
      'COPY - ./ a b',
      `RUN ${Buffer.from('echo "hi there"').toString('base64')}`,
      `ENTRYPOINT ${Buffer.from('node').toString('base64')} ${Buffer.from('/b.js').toString('base64')}`,
    ]);
  });
});
