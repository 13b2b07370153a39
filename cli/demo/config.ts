import { configSchema, type Config } from '../../shared/config/schema/index.ts';

/** The user's topics, with the demo outlets (served from `baseUrl`) as sources and no real destinations. */
export function demoConfig(base: Config, baseUrl: string): Config {
  const feed = (id: string, outlet: string, file: string) => ({ kind: 'rss', id, outlet, url: `${baseUrl}/${file}`, fetchArticle: 'never' });
  return configSchema.parse({
    ...base,
    settings: { ...base.settings, allowPrivateNetwork: true },
    sources: [
      feed('demo-yonhap', '연합뉴스', 'yonhap.xml'),
      feed('demo-etnews', '전자신문', 'etnews.xml'),
      feed('demo-hankyung', '한국경제', 'hankyung.xml'),
      feed('demo-mt', '머니투데이', 'mt.atom.xml'),
      feed('demo-down', '장애 매체', 'broken.xml'),
    ],
    delivery: { slack: [], webhooks: [], email: [] },
  });
}
