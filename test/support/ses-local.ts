// aws-ses-v2-local started in this process on a free port, with an SES client pointed
// at it (dummy credentials) and a reader for the mails it stored (`GET /store`).
import net from 'node:net';
import type { Server } from 'node:http';
import { SESClient } from '@aws-sdk/client-ses';

export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export interface SesLocal {
  endpoint: string;
  client: SESClient;
  mails(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** A port nobody listens on right now (aws-ses-v2-local fails silently on a busy port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Start aws-ses-v2-local on 127.0.0.1. */
export async function startSesLocal(): Promise<SesLocal> {
  const port = await freePort();
  const m = (await import('aws-ses-v2-local')) as unknown as { default?: (c: { host: string; port: number }) => Promise<Server> };
  const start = (m.default ?? (m as unknown as (c: { host: string; port: number }) => Promise<Server>)) as (c: {
    host: string;
    port: number;
  }) => Promise<Server>;
  const server = await start({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${port}`;
  // Wait until it answers: startup problems would otherwise only show as a confusing SDK error.
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${endpoint}/health-check`)).ok) break;
    } catch {
      if (i > 50) throw new Error(`aws-ses-v2-local did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new SESClient({ endpoint, region: 'ap-northeast-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // Its mail store is one per process, not per server: start empty, whatever an earlier
  // test file in this process sent.
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  return {
    endpoint,
    client,
    async mails() {
      const r = await fetch(`${endpoint}/store`);
      return ((await r.json()) as { emails: StoredMail[] }).emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
