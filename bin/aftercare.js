#!/usr/bin/env node
// The `aftercare` command: runs the compiled CLI (npm ci builds dist/ through `prepare`).
import '../dist/cli/main.js';
