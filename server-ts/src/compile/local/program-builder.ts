/** Accumulates generated lines and remembers where each notebook cell landed. */
import type { LineSegment } from './plan.js';

export class ProgramBuilder {
  private readonly lines: string[] = [];
  readonly lineMap: LineSegment[] = [];

  constructor(
    private readonly runtime: string,
    private readonly options: { awaitCells?: boolean } = {}
  ) {}

  line(text = ''): this {
    this.lines.push(...text.split('\n'));
    return this;
  }

  /** Adds a cell's code, keeping its lines one-to-one so errors map back to the cell. */
  cell(cellIndex: number, label: string, code: string): this {
    // The runtime hears which cell runs (a step that ends awaiting for ever says where); `;` first, in case
    // the cell before ends without one.
    this.lines.push(`;${this.runtime}.enterCell(${cellIndex}); // ── cell ${cellIndex + 1} (${label})`);
    const cellLines = code.split('\n');
    this.lineMap.push({ generatedLine: this.lines.length + 1, cellIndex, lineCount: cellLines.length });
    this.lines.push(...cellLines);
    // A cell that ends asynchronously (ijavascript's `$$.async()`) ends before the next one starts.
    if (this.options.awaitCells) this.lines.push(`;await ${this.runtime}.leaveCell();`);
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}
