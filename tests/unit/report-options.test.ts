import { describe, expect, it } from 'vitest';
import { parseReportOptions, reportQuery } from '../../shared/exchange/report-options';

describe('report options in the address', () => {
  it('carry the legend switch and the coverage page, with their defaults, both ways', () => {
    const base = { mode: 'map' as const, includePersonal: false, layout: 'grid' as const, pageSize: 'A4' as const, lang: 'zh-CN' as const, since: null };
    const plain = parseReportOptions(reportQuery(base));
    expect(plain).toEqual({ ...base, legend: true, coveragePage: false });
    const set = parseReportOptions(`?${reportQuery({ ...base, mode: 'report', legend: false, coveragePage: true })}`);
    expect(set).toMatchObject({ mode: 'report', legend: false, coveragePage: true });
    // Anything but the exact values leaves the defaults.
    expect(parseReportOptions('legend=no&coverage=yes')).toMatchObject({ legend: true, coveragePage: false });
  });
});
