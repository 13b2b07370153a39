import { z } from 'zod';
import { headerSafe } from './header-safe.ts';
import { foldTerm } from '../../classify/normalize.ts';

/** A term: one spelling, or a canonical spelling with aliases (other scripts, variants). */
export const termSchema = z.union([
  z.string().min(1),
  z.strictObject({
    term: z.string().min(1).describe('Canonical spelling shown in explanations'),
    aliases: z.array(z.string().min(1)).default([]).describe('Other spellings: Hangul/Latin, variants'),
    weight: z.number().positive().optional().describe('Overrides the default weight of its list'),
  }),
]);

/** One member of a `together` rule: a term, or a list of terms any one of which will do. */
const togetherMember = z.union([z.string().min(1), z.array(z.string().min(1)).min(1, 'an empty list of terms can never be found')]);

const PASSING_HELP = 'write the mention as * with the words around it, e.g. "제2의 *", "* 같은", "*보다", "*, … 등"';

/** `*` with words before and/or after it; the words must say something (not only spaces). */
const passingPattern = z
  .string()
  .min(1)
  .superRefine((p, ctx) => {
    const stars = p.split('*').length - 1;
    if (stars !== 1) {
      ctx.addIssue({ code: 'custom', message: `a passing pattern needs exactly one * where the term goes (found ${stars}); ${PASSING_HELP}` });
      return;
    }
    const [before = '', after = ''] = p.split('*');
    if (foldTerm(before) === '' && foldTerm(after.replace('…', '')) === '')
      ctx.addIssue({ code: 'custom', message: `"${p}" has no words around the *, so it would demote every mention; ${PASSING_HELP}` });
    else if (before.includes('…') || after.split('…').length > 2 || (after.includes('…') && foldTerm(after.split('…')[1] ?? '') === '')) {
      ctx.addIssue({ code: 'custom', message: `"${p}": … (a few words) may appear once, after the *, with words after it, e.g. "*, … 등"` });
    }
  });

export const passingSchema = z.union([
  passingPattern,
  z.strictObject({
    pattern: passingPattern.describe('The mention as * with the words around it'),
    weight: z.number().min(0).optional().describe('What a passing mention adds to the score (default 0)'),
  }),
]);

export const topicSchema = z
  .strictObject({
    label: headerSafe(z.string().min(1), 'digest email Subject').describe('Name shown to people, e.g. "소버린 AI"'),
    description: z.string().optional(),
    threshold: z.number().positive().default(3).describe('Score needed to match'),
    strong: z.array(termSchema).default([]).describe('Terms that can decide alone (default weight 3)'),
    weak: z.array(termSchema).default([]).describe('Terms that need company (default weight 1)'),
    together: z
      .array(z.array(togetherMember).min(2, 'a together rule needs at least two members (one term or list of terms each)'))
      .default([])
      .describe('Rules that count as one strong term when a term of every member appears: [엔비디아, [칩, 반도체, 가속기]]'),
    passing: z.array(passingSchema).default([]).describe('Mentions in passing that do not make a story about the topic: "제2의 *", "* 같은", "* 등"'),
    exclude: z.array(termSchema).default([]).describe('Terms that veto the topic'),
    not: z
      .array(z.string().min(1))
      .default([])
      .describe('Longer words a term can sit inside that mean something else: a term found inside one is not a mention (인도네시아 for 인도)'),
  })
  .superRefine((topic, ctx) => {
    for (const issue of notIssues(topic)) ctx.addIssue({ code: 'custom', ...issue });
  })
  .describe('A topic: the terms that make a story about it');

const NOT_HELP = "list longer words that contain one of the topic's terms and mean something else, e.g. 인도네시아 or 인도양 for 인도";

/**
 * A `not` word must hold a term of its topic (any spelling, as matched: spacing and case do
 * not matter) and be longer than it; otherwise it hides nothing. It may be a term itself
 * (인도네시아 is a country of its own and hides 인도).
 */
function notIssues(topic: {
  strong: Term[];
  weak: Term[];
  exclude: Term[];
  together: (string | string[])[][];
  not: string[];
}): { path: (string | number)[]; message: string }[] {
  const spellings = new Set<string>();
  for (const term of [...topic.strong, ...topic.weak, ...topic.exclude]) {
    for (const s of typeof term === 'string' ? [term] : [term.term, ...term.aliases]) spellings.add(foldTerm(s));
  }
  for (const members of topic.together) for (const m of members) for (const s of typeof m === 'string' ? [m] : m) spellings.add(foldTerm(s));
  spellings.delete('');
  const issues: { path: (string | number)[]; message: string }[] = [];
  topic.not.forEach((word, i) => {
    const folded = foldTerm(word);
    if (folded === '') issues.push({ path: ['not', i], message: `"${word}" has no letters; ${NOT_HELP}` });
    else if (![...spellings].some((s) => s.length < folded.length && folded.includes(s)))
      issues.push({
        path: ['not', i],
        message: `"${word}" holds none of this topic's terms with letters to spare, so it hides nothing (to veto the topic when a word appears, use \`exclude\`); ${NOT_HELP}`,
      });
  });
  return issues;
}

export const topicsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a topic id in snake_case such as sovereign_ai'), topicSchema)
  .refine((t) => Object.keys(t).length > 0, { message: 'define at least one topic' });

export type Term = z.infer<typeof termSchema>;
export type Topic = z.infer<typeof topicSchema>;
export type Passing = z.infer<typeof passingSchema>;
