import net from 'node:net';

function tryListen(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/**
 * Why the service could not listen on `port`, in one line that says what to
 * set, or undefined when it can. Checked before the embedded database's
 * initdb and the migrations, which take seconds, so a busy port is reported at
 * once rather than after them. A port taken in the moment between this check
 * and the real listen still fails there.
 */
export async function portProblem(port: number, host: string): Promise<string | undefined> {
  if (port === 0) return undefined;
  const error = await tryListen(port, host);
  if (!error) return undefined;
  if (error.code === 'EADDRINUSE') {
    let free: number | undefined;
    for (let candidate = port + 1; candidate <= Math.min(port + 20, 65_535) && free === undefined; candidate++) {
      if (!(await tryListen(candidate, host))) free = candidate;
    }
    const suggestion = free !== undefined ? `PORT=${free}` : 'PORT=0 (any free port)';
    return `port ${port} on ${host} is already in use (another testapi?): stop that process, or set ${suggestion}`;
  }
  if (error.code === 'EACCES') return `port ${port} on ${host} needs privileges this process lacks: set PORT to 1024 or above, e.g. PORT=3000`;
  if (error.code === 'EADDRNOTAVAIL') return `HOST=${host} is not an address of this machine: set HOST to one of its addresses, e.g. HOST=127.0.0.1`;
  return `cannot listen on ${host}:${port} (${error.code ?? error.message}): set PORT or HOST`;
}
