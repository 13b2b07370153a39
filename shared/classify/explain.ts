// A classification as text for people (`newswatch classify FILE.txt`).
import type { Classification } from '../model.ts';
import type { Config } from '../config/schema/index.ts';

/** Renders the decision for each topic, then the evidence behind it, one hit per line. */
export function explainClassification(title: string, result: Classification, topics: Config['topics']): string {
  const lines: string[] = [title.trim() || '(no title)', ''];
  const matched = result.topics.map((id) => topics[id]?.label ?? id);
  lines.push(`Topics: ${matched.length > 0 ? matched.join(', ') : 'none'}`);
  if (matched.length > 0) lines.push(`Primary: ${matched[0]} (highest score; filed under it in the digest and Slack)`);
  for (const [id, topic] of Object.entries(topics)) {
    const why = result.why[id];
    if (!why) {
      lines.push('', `${topic.label} (${id}): no match, no term found`);
      continue;
    }
    const verdict = why.matched ? 'MATCH' : 'no match';
    const reason =
      why.vetoedBy !== undefined
        ? `, vetoed by "${why.vetoedBy}"`
        : !why.matched && why.score >= why.threshold
          ? ', weak terms need company (no strong term or together group in the title or article text)'
          : '';
    lines.push('', `${topic.label} (${id}): ${verdict}, score ${why.score} / threshold ${why.threshold}${reason}`);
    for (const h of why.hits) {
      const spelled = h.found.toLowerCase() === h.term.toLowerCase() ? '' : ` as "${h.found}"`;
      const rule = h.rule !== undefined ? `  (${h.rule})` : '';
      lines.push(`  ${h.kind.padEnd(8)} ${`"${h.term}"${spelled}`} in ${h.field} x${h.count}  +${h.weight}${rule}`);
      lines.push(`           ${h.snippet}`);
    }
  }
  return lines.join('\n') + '\n';
}
