// Which secrets each Lambda reads, from the config. The CDK grants (infra/) and the
// Lambdas' init-time reads both use these, so a function reads exactly what it may.
import type { Config, SecretRef } from './schema/index.ts';

/** Secrets the poll Lambda reads: search API keys of the sources. */
export function pollSecrets(config: Config): SecretRef[] {
  return config.sources.flatMap((s) => (s.kind === 'naver' && s.enabled ? [s.clientId, s.clientSecret] : []));
}

/** Secrets the notify Lambda reads: Slack webhook URLs, webhook URLs and signing secrets. */
export function notifySecrets(config: Config): SecretRef[] {
  return [
    ...config.delivery.slack.filter((d) => d.enabled).map((d) => d.webhook),
    ...config.delivery.webhooks.filter((d) => d.enabled).flatMap((d) => [d.url, d.signingSecret]),
  ];
}
