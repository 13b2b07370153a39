// How a config `secret:` names a Secrets Manager value. Shared by the Lambda-side
// resolver and the CDK grants, so the function reads exactly what it was granted.
//
//   secret: newswatch/slack-webhook          the whole SecretString
//   secret: newswatch/naver#clientId         one key of a JSON SecretString
//   secret: arn:aws:secretsmanager:...       an ARN works too (with or without #key)
//
// `#` cannot occur in a secret name, so it is a safe separator.

export interface SecretId {
  /** Name or ARN passed to GetSecretValue and to the IAM grant. */
  secretId: string;
  /** Key to read when the SecretString is a JSON object. */
  jsonKey?: string;
}

/** Split a config `secret:` value into the secret and an optional JSON key. */
export function parseSecretId(secret: string): SecretId {
  const hash = secret.indexOf('#');
  if (hash < 0) return { secretId: secret };
  return { secretId: secret.slice(0, hash), jsonKey: secret.slice(hash + 1) };
}
