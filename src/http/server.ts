// The HTTP server of `aftercare serve`: the app from buildApp, listening where the configuration
// says. Closing it stops accepting connections and waits for requests in flight.
import type { FastifyInstance } from 'fastify';
import { AftercareError } from '../errors.js';
import { buildApp, type AppDeps } from './app.js';

export interface HttpServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:8080`: where it listens (the real port when the configured one was 0). */
  address: string;
  close(): Promise<void>;
}

export async function startHttpServer(deps: AppDeps): Promise<HttpServer> {
  const app = await buildApp(deps);
  try {
    const address = await app.listen({ host: deps.config.http.host, port: deps.config.http.port });
    return { app, address, close: () => app.close() };
  } catch (error) {
    await app.close();
    // A port in use or an address this machine does not have: the configuration must change.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const { host, port } = deps.config.http;
    throw new AftercareError(
      'AFTERCARE_E_CONFIG',
      `cannot listen on ${host}:${port} (${code}); set AFTERCARE_HOST / AFTERCARE_PORT`,
      { variable: 'AFTERCARE_PORT', code },
      { cause: error },
    );
  }
}
