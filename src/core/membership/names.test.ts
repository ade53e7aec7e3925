import { describe, expect, it } from 'vitest';
import { confusableWith, nameKey, namesConfusable, nameSkeleton } from './names.js';

describe('member names', () => {
  it('have one key for case and compatibility variants', () => {
    expect(nameKey(' Anna ')).toBe('anna');
    expect(nameKey('ａｎｎａ')).toBe('anna');
  });
  it('are confusable when their UTS #39 skeletons agree (Cyrillic or Greek look-alikes, invisible characters)', () => {
    expect(namesConfusable('anna', 'аnna')).toBe(true); // Cyrillic а
    expect(namesConfusable('Anna', 'АNNA')).toBe(true); // Cyrillic А, any case
    expect(namesConfusable('Bob K', 'Bob\u200b K')).toBe(true); // zero-width space
    expect(namesConfusable('paypal', 'раураl')).toBe(true);
    expect(namesConfusable('Ivan', 'Ιvan')).toBe(true); // Greek Ι
    expect(nameSkeleton('аnna')).toBe(nameSkeleton('anna'));
  });
  it('are distinct otherwise, in any script', () => {
    expect(namesConfusable('Anna', 'Anne')).toBe(false);
    expect(namesConfusable('Анна', 'Алла')).toBe(false);
    expect(namesConfusable('Борис', 'Борис К')).toBe(false);
  });
  it('point at the existing name a new one would be mistaken for', () => {
    expect(confusableWith('аnna', ['Boris', 'Anna'])).toBe('Anna');
    expect(confusableWith('Vera', ['Boris', 'Anna'])).toBeNull();
  });
});
