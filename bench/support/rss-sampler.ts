import fs from 'node:fs';

export interface RssPeak {
  /** Highest VmRSS seen by sampling every `intervalMs`. */
  sampledMb: number;
  /** The kernel's own high-water mark (VmHWM) since the last reset: catches spikes between samples. */
  highWaterMb: number;
  /** VmRSS when the window opened. */
  startMb: number;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Samples a process's resident memory from /proc (Linux only). */
export class RssSampler {
  private peakKb = 0;
  private startKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 50,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.reset();
  }

  private sample(): void {
    try {
      this.peakKb = Math.max(this.peakKb, statusKb(this.pid, 'VmRSS'));
    } catch {
      /* process gone */
    }
  }

  /** Opens a new measurement window; VmHWM is reset too (writing 5 to clear_refs). */
  reset(): void {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      /* not permitted: VmHWM then covers the whole process life */
    }
    this.startKb = statusKb(this.pid, 'VmRSS');
    this.peakKb = this.startKb;
  }

  peak(): RssPeak {
    this.sample();
    const mb = (kb: number): number => kb / 1024;
    return { sampledMb: mb(this.peakKb), highWaterMb: mb(Math.max(this.peakKb, statusKb(this.pid, 'VmHWM'))), startMb: mb(this.startKb) };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
