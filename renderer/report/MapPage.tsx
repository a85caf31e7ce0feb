/**
 * A map page of the deal review: the page's heading, the map as inline SVG (its text is real,
 * searchable text in the PDF, set in the report's fonts) scaled to the space left on the page, and
 * the legend of what the map shows in a strip under it.
 */
export interface MapPageProps {
  heading: string;
  sub: string;
  /** The map (cytoscape-svg markup made from our own data: text is escaped by the serializer). */
  svg: string;
  /** The legend strip as SVG markup. */
  legend: string;
  /** Height of the map area in mm. */
  heightMm: number;
  testId: string;
  /** Extra lines under the map (e.g. who is not covered). */
  note?: string;
}

export function MapPage(p: MapPageProps) {
  return (
    <section className="page map-print" data-testid={p.testId}>
      <h2>
        {p.heading} <span className="sub">{p.sub}</span>
      </h2>
      <div className="map-print-area" style={{ height: `${p.heightMm}mm` }} dangerouslySetInnerHTML={{ __html: p.svg }} />
      {p.note && <p className="map-print-note">{p.note}</p>}
      <div className="map-print-legend" dangerouslySetInnerHTML={{ __html: p.legend }} />
    </section>
  );
}
