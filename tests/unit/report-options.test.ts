import { describe, expect, it } from 'vitest';
import { parseReportOptions, reportQuery } from '../../shared/exchange/report-options';

describe('report options in the address', () => {
  it('carry the legend switch and the coverage page, with their defaults, both ways', () => {
    const base = { mode: 'map' as const, includePersonal: false, layout: 'grid' as const, pageSize: 'A4' as const, lang: 'zh-CN' as const, since: null };
    const plain = parseReportOptions(reportQuery(base));
    expect(plain).toEqual({ ...base, legend: true, coveragePage: false, poster: null });
    const set = parseReportOptions(`?${reportQuery({ ...base, mode: 'report', legend: false, coveragePage: true })}`);
    expect(set).toMatchObject({ mode: 'report', legend: false, coveragePage: true });
    // Anything but the exact values leaves the defaults.
    expect(parseReportOptions('legend=no&coverage=yes')).toMatchObject({ legend: true, coveragePage: false });
  });

  it('carry the poster size (A2/A1/A0) and nothing else', () => {
    const base = { mode: 'map' as const, includePersonal: false, layout: 'org' as const, pageSize: 'A4' as const, lang: 'en-US' as const, since: null };
    expect(parseReportOptions(reportQuery({ ...base, poster: 'A1' })).poster).toBe('A1');
    expect(parseReportOptions(reportQuery({ ...base, poster: 'A0' })).poster).toBe('A0');
    expect(parseReportOptions('poster=A5').poster).toBeNull();
    expect(parseReportOptions('').poster).toBeNull();
  });
});
