// The same package seen by an ESM consumer (import conditions, dist/esm types).
import { createTestApi, TestApiError } from '@testapi/client';
import { useTestApi, type TestData } from '@testapi/client/jest';

const api = createTestApi({ baseUrl: 'http://127.0.0.1:3000' });
export const ids = async (): Promise<string[]> => (await api.provision('catalog', { params: { products: 2 } })).data.products.map((product) => product.id);
// @ts-expect-error unknown scenario name
export const wrong = (): Promise<unknown> => api.provision('users');
export const helper: (prefix: string) => TestData = (prefix) => useTestApi({ prefix });
export const isProblem = (error: unknown): boolean => error instanceof TestApiError && error.status >= 400;
