/** The report's options, from the address's query (see shared/exchange/report-options.ts). */
import { parseReportOptions, type ReportOptions } from '../../shared/exchange/report-options';

export const options: ReportOptions = parseReportOptions(window.location.search);
