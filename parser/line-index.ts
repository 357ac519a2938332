/** Offset -> line and column, for texts whose tokens carry offsets only. */
import type { SourceLocation } from './ast.js';

export class LineIndex {
  /** Offsets at which each line starts; line terminators are \n, \r\n and \r, as in chevrotain. */
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  locationOf(offset: number): SourceLocation {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return Object.freeze({ line: low + 1, column: offset - this.lineStarts[low]! + 1, offset });
  }
}
