/** Where a node starts in the text given to the parser: 1-based line and column, 0-based offset. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}
