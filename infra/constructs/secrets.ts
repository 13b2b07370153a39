// Grants a function read access to exactly the Secrets Manager secrets its part of
// the config names. The secrets themselves are created by the operator (docs/deploy.md), so
// no secret value ever passes through CloudFormation.
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretRef } from '../../shared/config/schema/index.ts';
import { parseSecretId } from '../../shared/config/secret-id.ts';

export { notifySecrets, pollSecrets } from '../../shared/config/secret-refs.ts';

/** Distinct Secrets Manager ids among `refs` (a `#key` suffix selects a JSON key, not a secret). */
export function secretIds(refs: SecretRef[]): string[] {
  return [...new Set(refs.flatMap((r) => (r.secret ? [parseSecretId(r.secret).secretId] : [])))].sort();
}

/** Grant `fn` GetSecretValue on each secret named in `refs`, and nothing else. */
export function grantSecretsRead(scope: Construct, fn: IFunction, refs: SecretRef[]): string[] {
  const ids = secretIds(refs);
  ids.forEach((id, i) => {
    const secret = id.startsWith('arn:')
      ? /-[A-Za-z0-9]{6}$/.test(id)
        ? Secret.fromSecretCompleteArn(scope, `Secret${i}`, id)
        : Secret.fromSecretPartialArn(scope, `Secret${i}`, id)
      : Secret.fromSecretNameV2(scope, `Secret${i}`, id);
    secret.grantRead(fn);
  });
  return ids;
}
