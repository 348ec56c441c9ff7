// Types of scripts/image/dockerfile.mjs, for the unit tier.
export type Step =
  | { kind: 'WORKDIR'; path: string; line: number }
  | { kind: 'ENV'; key: string; value: string; line: number }
  | { kind: 'COPY'; from: string | null; sources: string[]; dest: string; line: number }
  | { kind: 'RUN'; command: string; line: number }
  | { kind: 'ENTRYPOINT'; argv: string[]; line: number }
  | { kind: 'CMD'; argv: string[]; line: number };

export interface Stage {
  name: string;
  image: string;
  line: number;
  steps: Step[];
}

export function parseDockerfile(text: string): Stage[];
export function planLines(stages: readonly Stage[]): string[];
