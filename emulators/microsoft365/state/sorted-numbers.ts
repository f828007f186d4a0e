/**
 * An ascending list of distinct integers with binary-search insert, remove and
 * seek. Folder membership is kept this way so that a delta round can resume
 * after the last message number it returned, however the folder changed since.
 */
export class SortedNumbers {
  private readonly values: number[];

  constructor(values: number[] = []) {
    this.values = values;
  }

  get size(): number {
    return this.values.length;
  }

  /** Index of the first value greater than `value`. */
  private upperBound(value: number): number {
    let low = 0;
    let high = this.values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.values[middle] as number) <= value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  add(value: number): void {
    const last = this.values[this.values.length - 1];
    if (last === undefined || value > last) {
      this.values.push(value);
      return;
    }
    const index = this.upperBound(value);
    if (this.values[index - 1] === value) return;
    this.values.splice(index, 0, value);
  }

  delete(value: number): boolean {
    const index = this.upperBound(value) - 1;
    if (index < 0 || this.values[index] !== value) return false;
    this.values.splice(index, 1);
    return true;
  }

  /** Up to `limit` values greater than `after`, and whether more follow. */
  after(after: number, limit: number): { values: number[]; more: boolean } {
    const start = this.upperBound(after);
    const values = this.values.slice(start, start + limit);
    return { values, more: start + limit < this.values.length };
  }

  slice(start: number, end: number): number[] {
    return this.values.slice(start, end);
  }

  toArray(): number[] {
    return this.values.slice();
  }
}
