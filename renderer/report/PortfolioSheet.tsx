/**
 * The team portfolio on one landscape A4 page (issue 19 item 4), for the forecast meeting: the
 * rows as the page showed them (sorted, filtered), in the words of the screen and the CSV
 * (shared/exchange/portfolio-sheet.ts). Fitted to one page: the text steps down to 6 pt at the
 * smallest; rows that still do not fit are counted on a last line (the CSV has them all).
 */
import type { PortfolioRow } from '../../shared/api/team-sync';
import { editedWord, flagWords, postureWord, sheetWords, stageWord, whenWord } from '../../shared/exchange/portfolio-sheet';
import type { Lang } from '../../shared/i18n/errors';

export function PortfolioSheet({ rows, hidden, lang, generatedAt }: { rows: PortfolioRow[]; hidden: number; lang: Lang; generatedAt: string }) {
  const w = sheetWords(lang);
  return (
    <section className="page portfolio-sheet">
      <h2>
        {w.title} <span className="sub">{w.sub(rows.length + hidden, whenWord(generatedAt, lang))}</span>
      </h2>
      <table className="portfolio-print">
        <thead>
          <tr>
            {w.headings.map((h, i) => (
              <th key={i} className={i === 5 ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const flags = flagWords(r, lang);
            return (
              <tr key={r.mapId}>
                <td>
                  <strong>{r.client || r.name}</strong>
                </td>
                <td>{r.deal}</td>
                <td className="nowrap">{stageWord(r, lang)}</td>
                <td className="nowrap">{postureWord(r, lang)}</td>
                <td className="nowrap">{r.owner.name || r.owner.email}</td>
                <td className="num">{r.people}</td>
                <td className={flags.length ? 'flags' : 'muted'}>{flags.length ? flags.map((f) => f.text).join(' · ') : '—'}</td>
                <td>{editedWord(r, lang)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {hidden > 0 && <p className="more">{w.more(hidden)}</p>}
    </section>
  );
}
