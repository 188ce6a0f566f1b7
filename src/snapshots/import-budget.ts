import { abandonment, currentRequestContext } from '../db/request-context';

/**
 * A byte budget for the snapshots this process reads at once
 * (IMPORT_MEMORY_BUDGET_BYTES). Per process, not in PostgreSQL: what it
 * protects is this process's heap, which replicas do not share; a shared
 * count would let one busy replica starve the others and still not bound
 * any one heap. An import reserves its size before it reads a byte (the
 * Content-Length of an uncompressed body, else MAX_IMPORT_BYTES, since only
 * that bounds what a compressed body inflates to), waits in arrival order
 * while the budget is spent (its body stays in the socket, unread), and
 * gives the bytes back when it answers. The wait ends with the request:
 * REQUEST_TIMEOUT_MS or the client going away.
 */
export class ImportBudget {
  private available: number;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly total: number) {
    this.available = total;
  }

  /** Reserves `bytes` (at most the whole budget); resolves to the release. */
  async reserve(bytes: number): Promise<() => void> {
    const wanted = Math.max(1, Math.min(bytes, this.total));
    if (this.waiting.length === 0 && wanted <= this.available) {
      this.available -= wanted;
      return this.releaser(wanted);
    }
    const context = currentRequestContext();
    await new Promise<void>((resolve, reject) => {
      const entry = { bytes: wanted, grant: () => resolve() };
      this.waiting.push(entry);
      const stop = (): void => {
        const at = this.waiting.indexOf(entry);
        if (at === -1) return;
        this.waiting.splice(at, 1);
        reject(abandonment(context));
        this.grantWaiting();
      };
      if (context) (context.whenAbandoned ??= new Set()).add(stop);
      entry.grant = () => {
        context?.whenAbandoned?.delete(stop);
        resolve();
      };
    });
    return this.releaser(wanted);
  }

  /** Bytes reserved now (for tests and metrics). */
  get inUse(): number {
    return this.total - this.available;
  }

  private releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.available += bytes;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.waiting[0]!.bytes <= this.available) {
      const next = this.waiting.shift()!;
      this.available -= next.bytes;
      next.grant();
    }
  }
}
