/** "Name, title, department" (commas or Chinese commas) → fields; null without a name. */
export function parseQuickAdd(line: string): { name: string; title: string; department: string } | null {
  const parts = line.split(/[,，;；]/).map((s) => s.trim());
  const name = parts[0] ?? '';
  if (!name) return null;
  return { name, title: parts[1] ?? '', department: parts.slice(2).join(', ') };
}
