// Successive pictures of a watch: redrawn in place on a terminal, appended (separated by a blank line,
// repeats left out) anywhere else; and a throttle so bursts of changes draw at most a few times a second.

export type FrameMode = 'redraw' | 'append' | 'stream';

export class FramePrinter {
  private last: string | undefined;
  private printed = 0;

  /**
   * `redraw`: clear the terminal and draw; `append`: a blank line between frames; `stream`: frames as
   * they are (one JSON line or YAML document each). Only `redraw` repeats an unchanged frame.
   */
  constructor(
    private readonly out: (text: string) => void,
    private readonly mode: FrameMode,
  ) {}

  get count(): number {
    return this.printed;
  }

  print(frame: string): void {
    if (this.mode === 'redraw') {
      this.out(`\u001b[H\u001b[2J${frame}`);
    } else {
      if (frame === this.last) return;
      this.out(this.mode === 'append' && this.printed > 0 ? `\n${frame}` : frame);
    }
    this.last = frame;
    this.printed += 1;
  }
}

/** Runs `fn` soon after `trigger()`, never twice within `minMs`; triggers in between are merged. */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private lastRun = 0;

  constructor(
    private readonly fn: () => void,
    private readonly minMs: number,
  ) {}

  trigger(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRun + this.minMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastRun = Date.now();
      this.fn();
    }, wait);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
