/** Types for the Cytoscape extension the report uses that ships none (cytoscape-fcose is declared in renderer/src/types.d.ts). */
declare module 'cytoscape-svg' {
  const svg: import('cytoscape').Ext;
  export default svg;
}
