#!/usr/bin/env node
// The executable: run main() against the real process.
import { createRuntime, main } from './main.js';

process.exitCode = await main(process.argv.slice(2), createRuntime());
