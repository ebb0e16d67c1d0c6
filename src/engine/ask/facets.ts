// What part of an abstract a question asks about, read from generic wording. Abstracts in any
// field state the same few parts in recognisable phrases — the problem they start from ("however,
// existing …"), what they do ("we propose …", "to address this, …"), how they tested it ("experiments
// on …"), what they achieved ("outperforms …"), what they found ("we find that …") — so a question
// is matched to the sentence that answers it even when they share no word: "how do they fix it?"
// → "To mitigate this effect, we employ …"; "what does it beat?" → "… consistently outperforms MRL".
// Plain English of scientific writing only; nothing about any field or collection.

export type Facet = 'problem' | 'method' | 'evaluation' | 'result' | 'effect' | 'null' | 'extreme' | 'finding' | 'cause' | 'name' | 'place' | 'novelty' | 'basis' | 'criterion' | 'limitation' | 'use' | 'alternative';

interface FacetRule {
  facet: Facet;
  /** Wording of a question asking for this part. */
  question: RegExp;
  /** Wording of an abstract sentence stating it. */
  sentence: RegExp;
  /** One cue is already a plain statement (the cue phrases are unambiguous). */
  oneCueStates?: true;
}

const RULES: FacetRule[] = [
  {
    facet: 'problem',
    question:
      /\b(?:problems?|issues?|challenges?|difficult(?:y|ies)|wrong|motivat\w*|why (?:bother|is (?:it|this|that) (?:needed|necessary|important|hard)|do (?:we|they|you|i) need)|bottlenecks?|shortcomings?|pain points?|gaps?|what(?:'s| is) (?:hard|difficult|missing)|(?:fail|fails|break|breaks|struggle|struggles|hurt|hurts)\b)/i,
    sentence:
      /\b(?:however|yet|although|despite|suffers?|suffering|limit(?:s|ed|ing|ations?)|fail(?:s|ed|ing|ures?)?|struggles?|challeng\w*|problems?|issues?|bottlenecks?|costly|expensive|inefficien\w*|hinder\w*|lacks?|lacking|unclear|cannot|difficult\w*|drawbacks?|prohibitive\w*|degrad\w*|wasteful|redundan\w*|remains? (?:an )?open|under-?explored|overlook\w*|neglect\w*|risks?|delays?|burden\w*|harm\w*|adverse|complications?|insufficient\w*|inadequa\w*|unable|barriers?|poor(?:ly)?)\b/i,
  },
  {
    facet: 'method',
    question:
      /(?:^|[.?!,;]\s*|\b(?:so|and|ok(?:ay)?|but|then)\s+)how\b(?=\s+(?:do|does|did|can|could|would|will|should|is|are|was|were|to|it|they|that|this|exactly)\b|\s*[?.!]*$)(?!\s+(?:much|many|fast|faster|slow|well|big|bigger|large|long|good|often|far|robust|accurate|old|recent|new|small|high|low|deep)\b)(?!\s+(?:do|did|does|was|were|is|are|can)\s+(?:they|it|you|we|this|that|the\s+\w+)\s+(?:check|test|evaluat|validat|verif|measur|assess|prove|demonstrat|know|show)\w*)|\b(?:tricks?|ideas?|approach|methods?|techniques?|mechanisms?|recipe|secret|fix(?:es|ed)?|solve[ds]?|solutions?|remed(?:y|ies)|address(?:es|ed)?|tackle[ds]?|handle[ds]?|deal with|get around|overcome|mitigate[ds]?|pull (?:it|that|this) off|work around|propose[ds]?|instead|what do(?:es)? (?:it|they) do)\b/i,
    sentence:
      /\b(?:we (?:propose|introduce|present|develop|design|devise|employ|use|utili[sz]e|leverage|adopt|apply|exploit|build|construct|formulate|train|learn|model|treat|decompose|combine|replace|encode|represent|cast|customi[sz]e|implement|incorporate|integrate|add|insert|extend|modify|redesign|restructure)|^specifically\b|\bwe (?!(?:find|found|show|observe|argue|believe|hope|note|discuss|also|will|can|have|are|were|demonstrate|prove|report|study|investigate|analy[sz]e|explore|offer|provide|conduct|examine|evaluate|validate|verify|test|compare|obtain|achieve|reveal|identify|establish|conclude|focus|aim|seek|consider)\b)[a-z]+(?:e[sd]?|s)?\b|(?:to|we) (?:address|mitigate|overcome|tackle|solve|alleviate|counter|remedy|fix|circumvent|resolve|avoid) (?:this|these|the|such|that|both|them|it)|our (?:method|approach|model|framework|system|algorithm|key (?:idea|insight))|(?:method|approach|model|framework|system|algorithm) (?:that |which )?(?:uses|employs|relies on|leverages|consists of|is based on|works by)|consists? of|(?:is|are) based on|by means of|methods? (?:was|were) used|(?:was|were) used to|through (?:an?|the) |by (?:\w+ly )?\w+ing\b|thereby|(?:uses|employs|exploits|utilizes|utilises|relies on|leverages|combines|segments|splits|encodes|decodes|maps|projects|predicts|treats|applies|replaces|learns|selects|aggregates|fuses|injects|inserts|groups|clusters|routes|caches|shares|couples|decomposes|distills|filters) |key (?:idea|insight|observation) is|(?:key|main|core|two|three) (?:components?|ingredients?|ideas?|insights?|elements?|steps?|stages?|modules?))/i,
  },
  {
    facet: 'evaluation',
    question:
      /\b(?:datasets?|data sets?|benchmarks?|corpora|corpus|evaluat\w*|test(?:s|ed|ing)?|tried|try (?:it|them|this)|experiments?|validat\w*|verif(?:y|ied|ies)|check(?:s|ed)?|measur\w*|metrics?|results? on|(?:what|which) (?:tasks?|data|settings?|domains?|languages?|models?|systems?|architectures?|archs?|backbones?|scenarios?|conditions?|populations?|cohorts?|samples?|subjects|patients|participants))\b|\b(?:run|ran|appl(?:y|ied)|used?) (?:it |them |this |that )?(?:on|to|with)\s*[?.!]*$/i,
    sentence:
      /\b(?:experiments?|experimental(?:ly)?|benchmarks?|datasets?|data sets?|evaluat\w*|tested|validat\w*|verif(?:y|ied|ies)|empirical(?:ly)?|results (?:on|for|across)|applied to|trials?|cohorts?|samples? of|participants|subjects|patients)\b|\bon (?:the )?\p{Lu}[\p{L}\d-]+|\b(?:across|on) (?:\w+ ){0,3}(?:tasks|datasets|benchmarks|languages|domains|settings)\b/iu,
  },
  {
    facet: 'result',
    question:
      /\b(?:claims?|beat|beats|outperform\w*|better|worse|faster|slower|cheaper|smaller|larger|bigger|higher|lower|how (?:well|good|accurate)|(?:does|did|do) (?:it|they|this|that) (?:work|help)|results?|perform\w*|gains?|improv\w*|speed-?ups?|on top|win|wins|won|best|compared? (?:to|with)|against|baselines?|effective\w*|state[- ]of[- ]the[- ]art|sota)\b/i,
    sentence:
      /\b(?:outperform\w*|surpass\w*|beats?|better|superior|improv\w*|achiev\w*|state-of-the-art|competitive|comparable|on par|gains?|speed-?ups?|faster|exceed\w*|match(?:es|ing)|significant(?:ly)?|effective(?:ly|ness)?|increas\w*|boost\w*|reduc\w*|fewer|saves?|saving|cuts?)\b/i,
  },
  {
    // "did the steroids help?", "which factors made no difference?": what changed what, or did not.
    facet: 'effect',
    question:
      /\b(?:help(?:s|ed|ful)?|work(?:s|ed)?|effects?|affect(?:s|ed)?|impact\w*|benefit\w*|beneficial|harm\w*|hurt\w*|matter(?:s|ed)?|difference|change[sd]?|influence[sd]?|improve[sd]?|worse(?:n\w*)?|safe|side[- ]effects?)\b/i,
    sentence:
      /\b(?:effects?|affect\w*|impact\w*|benefi\w*|improv\w*|harm\w*|detriment\w*|worsen\w*|unrelated|related to|associated with|no (?:significant )?(?:effect|difference|change|relation|improvement|benefit)|not (?:significantly )?(?:related|associated|differ\w*|alter\w*|change\w*|modif\w*|affect\w*|improv\w*)|neither|unaffected|unchanged|independent of|increas\w*|decreas\w*|reduc\w*|side effects?|deleterious|toxic\w*)\b/i,
  },
  {
    // "which factors made no difference?", "did it not help?": what was found to have no effect.
    facet: 'null',
    question:
      /\bno (?:difference|effect|impact|change|benefit|influence)\b|\b(?:didn't|did not|doesn't|does not|don't|do not|not|never) (?:matter|help|work|change|affect|improve|make a difference)\b|\b(?:unrelated|irrelevant|useless)\b/i,
    sentence:
      /\b(?:unrelated|no (?:significant |overall )?(?:effect|difference|change|relation|improvement|benefit|influence)|not (?:significantly )?(?:related|associated|differ\w*|alter\w*|change\w*|modif\w*|affect\w*|improv\w*)|neither|unaffected|unchanged|independent of|failed to|did not|does not|no longer)\b/i,
  },
  {
    // "when was the difference biggest?", "which worked best?": the sentence with a superlative.
    facet: 'extreme',
    question: /\b(?:biggest|largest|greatest|highest|most|strongest|best|least|lowest|smallest|fewest|worst|maximum|minimum|max|min|peak\w*)\b/i,
    sentence: /\b(?:biggest|largest|greatest|highest|most|strongest|best|least|lowest|smallest|fewest|worst|maximum|minimum|peak\w*|extreme\w*)\b/i,
  },
  {
    facet: 'finding',
    question:
      /\b(?:find|found|findings?|discover\w*|learn(?:ed|t)|observ\w*|conclu\w*|takeaways?|insights?|lessons?|show(?:ed|n)?|reveal\w*|claims?|argue[sd]?|main (?:result|point|message)|key (?:result|point|message)|what happens|bottom line)\b/i,
    sentence:
      /\b(?:we (?:find|found|show|observe|observed|discover|reveal|demonstrate|conclude|identify|establish|prove|argue|uncover|hypothesi[sz]e)|(?:findings|results|analys[ie]s|experiments|evidence) (?:show|shows|suggest|reveal|indicate|demonstrate|confirm)|(?:suggest|reveal|indicat|show|demonstrat|conclud|conclusion|discover|find|found|observ|learn|note)\w* (?:is |was )?that|it (?:is|was) (?:concluded|suggested|felt|found|shown|postulated|proposed)|it appears that|surprising(?:ly)?|interesting(?:ly)?|notabl[ey]|counter-?intuitive)\b/i,
  },
  {
    facet: 'cause',
    question: /^\s*(?:(?:so|and|but|ok(?:ay)?)[,\s]+)?why\b|[.?!]\s*why\b|\bhow come\b|\breasons?\b|\bwhat (?:causes|caused|makes|made|explains|drives|determines|decides)\b|\bwhy (?:does|do|did|would|is|are)\b/i,
    sentence:
      /\b(?:because|due to|owing to|as a result|thanks to|therefore|thus|hence|so that|in order to|(?:main |principal )?causes? of|reasons? (?:for|why)|explained by|leads? to|led to|results? in|caused by|stems? from|arises? from|attribut\w+ to|the reason|determined by|depends? on|driven by|(?:this|which|these) (?:finding|observation|insight|result)s? (?:indicates?|suggests?|implies|shows?)|indicates? that|suggests? that|implies that|allows?|enables?)\b/i,
  },
  {
    facet: 'name',
    question: /\b(?:called|named|name of|what(?:'s| is) (?:it|its name|the name)|what do they call)\b/i,
    sentence: /\b(?:called|named|termed|dubbed|coined|we (?:propose|introduce|present|call|name|term)|(?:is|are|was|were) (?:proposed|introduced|presented))\b/i,
  },
  {
    facet: 'place',
    question: /^\s*(?:(?:and|so)\s+)?where\b|\bwhich (?:university|universities|institutions?|countr(?:y|ies)|cit(?:y|ies)|labs?|hospitals?|schools?|compan(?:y|ies))\b/i,
    sentence:
      /\b(?:universit(?:y|ies)|institut(?:e|ion)s?|schools? of|college|hospitals?|laborator(?:y|ies)|labs?|clinics?|conducted (?:at|in)|carried out (?:at|in)|based (?:at|in)|department|centre|center)\b|\b(?:at|in) (?:the )?\p{Lu}\p{Ll}+/u,
  },
  {
    facet: 'novelty',
    question: /\b(?:differ\w*|what(?:'s| is) new|novel\w*|unlike|distinguish\w*|sets? (?:it|them) apart|compared (?:to|with) (?:other|previous|prior|existing|earlier))\b/i,
    sentence:
      /\b(?:unlike|in contrast|rather than|instead of|whereas|existing|previous|prior|conventional|traditional|most (?:of the )?(?:existing|previous|other)|first (?:to|time)|novel|new|our (?:intention|aim|goal)|differs?)\b/i,
  },
  {
    facet: 'basis',
    question: /\b(?:based on|build(?:s)? (?:on|upon)|derived? from|extend(?:s)?|inspired|earlier work|prior work|previous work|predecessor|builds? off)\b/i,
    sentence: /\b(?:based on|builds? (?:on|upon)|building (?:on|upon)|derives? from|extends?|extending|inspired by|recently proposed|generali[sz]es|following)\b/i,
  },
  {
    // "how does it decide where a patch ends?", "what determines the rank?": the rule or signal a choice follows.
    facet: 'criterion',
    question:
      /\b(?:decid\w*|determin\w*|choos\w*|chose|chosen|pick(?:s|ed)?|select(?:s|ed)?|criteri(?:on|a)|threshold\w*|on what basis|how (?:does|do|did) (?:it|they|the \w+) know)\b/i,
    sentence:
      /\b(?:based on|according to|determined by|depending on|depends on|conditioned on|guided by|driven by|governed by|criteri(?:on|a)|thresholds?|whenever|if and only if)\b/i,
    oneCueStates: true,
  },
  {
    facet: 'limitation',
    question: /\b(?:limitations?|drawbacks?|weakness(?:es)?|downsides?|catch|caveats?|trade-?offs?|fail(?:s|ures?)?|cost)\b/i,
    sentence: /\b(?:however|limitations?|drawbacks?|fails?|struggles?|cannot|costly|expensive|trade-?offs?|at the (?:cost|expense) of|sacrific\w*|slight (?:decrease|drop|loss))\b/i,
  },
  {
    facet: 'use',
    question: /\b(?:used? (?:it |them |this |that )?for|useful|applications?|applicable|good for|use cases?|what (?:can|could) (?:it|they|you|i) do|practical|deploy\w*|real[- ]world|in practice)\b/i,
    sentence: /\b(?:applications?|applicable|can be used|enables?|enabling|useful|practical|deploy\w*|real-world|suitable|use cases?|in practice|clinical(?:ly)?)\b/i,
  },
  {
    facet: 'alternative',
    question: /\b(?:instead of|in place of|rather than|replace[sd]?|alternatives?|instead|what (?:do|did|does) (?:they|it) change)\b/i,
    sentence: /\b(?:instead|alternatives?|replac\w*|rather than|in place of|in lieu of)\b/i,
  },
];

/** The question without the words that ask for a part of the abstract ("what's the main lesson …" → "what's the main …"). */
export function withoutFacetWords(question: string): string {
  return RULES.reduce((text, r) => text.replace(new RegExp(r.question.source, r.question.flags.includes('g') ? r.question.flags : `${r.question.flags}g`), ' '), question);
}

/** The parts of an abstract the question asks about (none when its wording names no part). */
export function questionFacets(question: string): Facet[] {
  return RULES.filter((r) => r.question.test(question)).map((r) => r.facet);
}

/**
 * How plainly the sentence states one of these parts, 0–1: one cue phrase ("applied to") is a
 * hint, several ("we verify … empirically through a series of experiments") a statement.
 */
export function facetStrength(facets: readonly Facet[], sentence: string): number {
  let best = 0;
  let stated = 0;
  for (const r of RULES) {
    if (!facets.includes(r.facet)) continue;
    const cues = new Set([...sentence.matchAll(new RegExp(r.sentence.source, r.sentence.flags.includes('g') ? r.sentence.flags : `${r.sentence.flags}g`))].map((m) => m[0].toLowerCase()));
    if (cues.size) stated++;
    best = Math.max(best, Math.min(1, cues.size / (r.oneCueStates ? 1 : 2)));
  }
  // "what's their fix called?": a sentence stating both parts asked about states it more plainly.
  return Math.min(1, best + SEVERAL_FACETS * Math.max(0, stated - 1));
}

/** What stating a second (third …) part asked about adds. */
const SEVERAL_FACETS = 0.25;

/** Whether the sentence states one of these parts. */
export function statesFacet(facets: readonly Facet[], sentence: string): boolean {
  return facetStrength(facets, sentence) > 0;
}

/**
 * A sentence that leans on the one before it ("To address this issue, …", "These methods …",
 * "This leads to …"): quoted alone it does not say what it is about.
 */
const LEANS_BACK =
  /^(?:(?:however|thus|therefore|hence|consequently|as a result|in (?:contrast|addition|particular)|moreover|furthermore|additionally|specifically|instead|to (?:this end|address|mitigate|overcome|tackle|solve|alleviate|counter|remedy|fix)(?: (?:this|these|such|that|both|them|it))?(?: \w+){0,2}|based on (?:this|these|that|such)(?: \w+)?|motivated by (?:this|these|that|such)(?: \w+)?|building on (?:this|these)(?: \w+)?|for (?:this|that) (?:reason|purpose))[,\s]+)?(?:this|these|those|such|that|it|they|the latter|the former)\b/i;

/** "… a solution to this issue", "the factor behind this disparity": a back-reference anywhere in the sentence. */
const BACK_REFERENCE =
  /\b(?:this|these|such|that|the above) (?:issues?|problems?|limitations?|gaps?|challenges?|observations?|insights?|findings?|effects?|phenomen(?:on|a)|disparit(?:y|ies)|discrepanc(?:y|ies)|shortcomings?|drawbacks?|bottlenecks?|concerns?|questions?|difficult(?:y|ies)|failures?)\b/i;

export function leansBack(sentence: string): boolean {
  const s = sentence.trim();
  return LEANS_BACK.test(s) || BACK_REFERENCE.test(s);
}
