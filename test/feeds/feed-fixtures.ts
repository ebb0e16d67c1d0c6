/** Feeds laid out as their publishers write them (content invented). */

// Laid out like rss.arxiv.org listings.
export const ARXIV_RSS = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.CL updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.CL</link>
    <description>cs.CL updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/rss/cs.CL" rel="self" type="application/rss+xml"/>
    <item>
      <title>Tokenizers for Low-Resource Languages</title>
      <link>https://arxiv.org/abs/2501.00011</link>
      <description>arXiv:2501.00011v1 Announce Type: new
Abstract: We build tokenizers for ten languages with little text.</description>
      <guid isPermaLink="false">oai:arXiv.org:2501.00011v1</guid>
      <category>cs.CL</category>
      <category>cs.LG</category>
      <pubDate>Mon, 06 Jan 2025 00:00:00 -0500</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Chinua Achebe, Ngugi wa Thiong'o</dc:creator>
    </item>
    <item>
      <title>An Item Without An Abstract</title>
      <link>https://arxiv.org/abs/2501.00012</link>
      <description></description>
    </item>
  </channel>
</rss>
`;

// Laid out like bioRxiv's RSS 1.0 (RDF) subject feeds.
export const BIORXIV_RDF = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
  <channel rdf:about="http://connect.biorxiv.org">
    <title>bioRxiv Subject Collection: Neuroscience</title>
    <link>http://connect.biorxiv.org</link>
    <items><rdf:Seq><rdf:li rdf:resource="http://biorxiv.org/cgi/content/short/2025.01.02.123456v1?rss=1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://biorxiv.org/cgi/content/short/2025.01.02.123456v1?rss=1">
    <title><![CDATA[Place Cells Remap After Sleep]]></title>
    <link>http://biorxiv.org/cgi/content/short/2025.01.02.123456v1?rss=1</link>
    <description><![CDATA[Hippocampal place cells <i>remap</i> after sleep &amp; stay stable for p < 0.05 of days.]]></description>
    <dc:creator><![CDATA[Cajal, S. R.; Golgi, C.]]></dc:creator>
    <dc:date>2025-01-04</dc:date>
    <dc:identifier>doi:10.1101/2025.01.02.123456</dc:identifier>
    <dc:title><![CDATA[Place Cells Remap After Sleep]]></dc:title>
    <prism:publicationDate>2025-01-04</prism:publicationDate>
  </item>
</rdf:RDF>
`;

export const JOURNAL_ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Journal of Examples: latest articles</title>
  <id>https://journal.example/feed</id>
  <entry>
    <title type="html">Graphene &lt;i&gt;in situ&lt;/i&gt;</title>
    <link rel="alternate" href="https://journal.example/articles/42"/>
    <id>urn:uuid:42</id>
    <published>2025-01-03T09:00:00Z</published>
    <author><name>Marie Curie</name></author>
    <author><name>Pierre Curie</name></author>
    <category term="materials"/>
    <content type="html">&lt;p&gt;Graphene grown &lt;b&gt;in situ&lt;/b&gt; on copper.&lt;/p&gt;&lt;p&gt;It conducts.&lt;/p&gt;</content>
  </entry>
</feed>
`;
