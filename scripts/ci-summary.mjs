// Totals vitest and Playwright JSON reports into the one plain line CI reads: "N passed, N failed".
// Exits non-zero when a report is missing or unreadable, or when anything failed.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`missing or unreadable report ${file}: ${err.message}`);
    continue;
  }
  if (typeof report.numPassedTests === 'number') {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
  } else if (report.stats && typeof report.stats.expected === 'number') {
    passed += report.stats.expected;
    failed += report.stats.unexpected + (report.stats.flaky ?? 0);
    skipped += report.stats.skipped ?? 0;
    if ((report.errors ?? []).length > 0) failed += report.errors.length;
  } else {
    problems.push(`unrecognised report ${file}`);
  }
}

for (const p of problems) console.error(p);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(problems.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
