export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as { __TESTAPI_PG__?: { destroy(): Promise<void> } }).__TESTAPI_PG__;
  await cluster?.destroy();
}
