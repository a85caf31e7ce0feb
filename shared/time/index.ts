/**
 * The time area's pure logic, for the renderer, the main side, the CLI and the PDF report:
 * - compareMaps(before, after): MapDiff — what changed between two states of a map
 *   (the deal-review PDF's "changes since <snapshot>" uses it with describeDiff);
 * - describeDifference / describeDiff: the differences as lines of text in en-US or zh-CN;
 * - upcoming(people, trips, query): trips in the next weeks and people out of touch;
 * - calendar-date and time-zone helpers.
 */
export * from './compare';
export * from './dates';
export * from './describe';
export * from './types';
export { lastContactAfterEdit, upcoming } from './upcoming';
