/**
 * A reader of the small Dockerfile subset lvscare's Dockerfile uses, so scripts/image/verify-rootfs.sh
 * can apply the Dockerfile's own steps (and the unit tier can check its structure) without Docker.
 *
 * Supported: comments and blank lines; `\` line continuations; FROM <image> AS <name>;
 * WORKDIR <absolute path>; ENV key=value...; COPY [--from=<stage>] <src>... <dest>;
 * RUN <shell command>; ENTRYPOINT and CMD in JSON (exec) form. Anything else, or any of these in
 * another form (ADD, ARG, globs, spaces in paths, shell-form ENTRYPOINT, COPY --chown...), is an
 * error naming the line: the script must never apply a step it does not understand.
 *
 *   node scripts/image/dockerfile.mjs plan Dockerfile
 * prints the steps for the shell, one a line, fields separated by spaces, free text in base64:
 *   STAGE <name> <image> | WORKDIR <path> | ENV <key> <b64 value> | COPY <stage|-> <dest> <src>...
 *   RUN <b64 command> | ENTRYPOINT <b64 arg>... | CMD <b64 arg>...
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ kind: 'WORKDIR', path: string, line: number }
 *   | { kind: 'ENV', key: string, value: string, line: number }
 *   | { kind: 'COPY', from: string | null, sources: string[], dest: string, line: number }
 *   | { kind: 'RUN', command: string, line: number }
 *   | { kind: 'ENTRYPOINT' | 'CMD', argv: string[], line: number }} Step
 * @typedef {{ name: string, image: string, line: number, steps: Step[] }} Stage
 */

const PATH_WORD = /^[A-Za-z0-9_./@-]+$/;

/** parseDockerfile reads the supported subset into stages; throws an Error naming the line otherwise. */
export function parseDockerfile(text) {
  /** @type {Stage[]} */
  const stages = [];
  for (const { line, body } of logicalLines(text)) {
    const match = /^([A-Za-z]+)\s+(.*)$/s.exec(body);
    if (match === null) throw new Error(`Dockerfile:${line}: not an instruction: ${body}`);
    const instruction = match[1].toUpperCase();
    const args = match[2].trim();
    if (instruction === 'FROM') {
      stages.push(parseFrom(args, line, stages));
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`Dockerfile:${line}: ${instruction} before FROM`);
    stage.steps.push(...parseStep(instruction, args, line, stages));
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM');
  return stages;
}

/** logicalLines joins `\` continuations and drops comments and blank lines. */
function logicalLines(text) {
  const out = [];
  let pending = null;
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (pending === null && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== null && trimmed.startsWith('#')) return; // comment lines inside a continuation
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending === null ? { line: i + 1, body: part } : { line: pending.line, body: `${pending.body} ${part}`.trim() };
    if (!continues) {
      out.push(pending);
      pending = null;
    }
  });
  if (pending !== null) throw new Error(`Dockerfile:${pending.line}: the file ends inside a continued line`);
  return out;
}

function parseFrom(args, line, stages) {
  const m = /^(\S+)\s+AS\s+([a-z][a-z0-9_-]*)$/i.exec(args);
  if (m === null) throw new Error(`Dockerfile:${line}: FROM must be "FROM <image> AS <name>"`);
  if (stages.some((s) => s.name === m[2])) throw new Error(`Dockerfile:${line}: stage ${m[2]} is defined twice`);
  return { name: m[2], image: m[1], line, steps: [] };
}

/** parseStep reads one instruction of a stage. */
function parseStep(instruction, args, line, stages) {
  const fail = (why) => {
    throw new Error(`Dockerfile:${line}: ${instruction} ${why}`);
  };
  switch (instruction) {
    case 'WORKDIR':
      if (!args.startsWith('/') || !PATH_WORD.test(args)) fail('needs one absolute path without spaces or variables');
      return [{ kind: 'WORKDIR', path: args, line }];
    case 'ENV':
      return args.split(/\s+/).map((pair) => {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=([^\s"'$\\]*)$/.exec(pair);
        if (m === null) fail(`supports only key=value pairs without quotes or variables: ${pair}`);
        return { kind: 'ENV', key: m[1], value: m[2], line };
      });
    case 'COPY': {
      const words = args.split(/\s+/);
      let from = null;
      if (words[0]?.startsWith('--from=')) from = words.shift().slice('--from='.length);
      if (words.some((w) => w.startsWith('--'))) fail('supports no option but --from=<stage>');
      if (from !== null && !stages.some((s) => s.name === from)) fail(`--from=${from}: no earlier stage has that name`);
      if (words.length < 2) fail('needs at least one source and a destination');
      if (!words.every((w) => PATH_WORD.test(w) && !w.includes('..'))) fail('paths must be plain (no globs, variables, spaces or ..)');
      return [{ kind: 'COPY', from, sources: words.slice(0, -1), dest: words.at(-1), line }];
    }
    case 'RUN':
      if (args.startsWith('[') || args.startsWith('--')) fail('supports only the shell form without options');
      return [{ kind: 'RUN', command: args, line }];
    case 'ENTRYPOINT':
    case 'CMD': {
      let argv;
      try {
        argv = JSON.parse(args);
      } catch {
        fail('must be in JSON (exec) form');
      }
      if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) fail('must be a JSON array of strings');
      return [{ kind: instruction, argv, line }];
    }
    default:
      return fail('is not in the subset scripts/image/dockerfile.mjs supports');
  }
}

/** planLines renders the stages as the line plan verify-rootfs.sh reads (see the module comment). */
export function planLines(stages) {
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
  return stages.flatMap((stage) => [
    `STAGE ${stage.name} ${stage.image}`,
    ...stage.steps.map((step) => {
      switch (step.kind) {
        case 'WORKDIR': return `WORKDIR ${step.path}`;
        case 'ENV': return `ENV ${step.key} ${b64(step.value)}`;
        case 'COPY': return `COPY ${step.from ?? '-'} ${step.dest} ${step.sources.join(' ')}`;
        case 'RUN': return `RUN ${b64(step.command)}`;
        default: return `${step.kind} ${step.argv.map(b64).join(' ')}`;
      }
    }),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, path] = process.argv.slice(2);
  if (command !== 'plan' || path === undefined) {
    console.error('usage: node scripts/image/dockerfile.mjs plan DOCKERFILE');
    process.exit(2);
  }
  try {
    console.log(planLines(parseDockerfile(readFileSync(path, 'utf8'))).join('\n'));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
