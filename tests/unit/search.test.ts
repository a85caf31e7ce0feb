import { describe, expect, it } from 'vitest';
import { buildIndex, pinyinKeys, search } from '../../shared/search';

const people = [
  { id: 'a', name: '张伟', title: '信息中心主任', department: '信息中心' },
  { id: 'b', name: '王芳', title: '副行长', department: '行领导' },
  { id: 'c', name: 'Alice Moreau', title: 'Head of Planning', department: 'Planning' },
  { id: 'd', name: '单立新', title: '总工程师', department: '科技部' },
  { id: 'e', name: '赵文', title: 'IT工程师', department: '信息中心' },
];
const index = buildIndex(people);

describe('search', () => {
  it('finds Chinese names by pinyin initials and full pinyin', () => {
    expect(search(index, 'zw')[0]).toBe('a');
    expect(search(index, 'zw')).toContain('e'); // 赵文 is zw too
    expect(search(index, 'zhangwei')).toEqual(['a']);
    expect(search(index, 'zhang wei')).toEqual(['a']);
    expect(search(index, 'wf')).toEqual(['b']);
  });
  it('reads the first character of a name as a surname (单 is shan)', () => {
    expect(pinyinKeys('单立新', true).full).toBe('shanlixin');
    expect(search(index, 'slx')).toEqual(['d']);
  });
  it('finds by name, title and department text, name first', () => {
    expect(search(index, 'alice')).toEqual(['c']);
    expect(search(index, 'planning')).toEqual(['c']);
    expect(search(index, '信息中心')).toEqual(['a', 'e']);
    expect(search(index, '副行长')).toEqual(['b']);
    expect(search(index, 'ALICE  mor')).toEqual(['c']);
  });
  it('matches nothing for an empty or unrelated query', () => {
    expect(search(index, '')).toEqual([]);
    expect(search(index, '   ')).toEqual([]);
    expect(search(index, 'qqq')).toEqual([]);
  });
});
