"""Generalized patterns of the default config, on sentences written for these tests (English and
Arabic): titles that name the subject while the summary gives the rest, labs leaving Scale AI without
Meta named, wider exit/neutrality/pay/hiring vocabularies, coreference for Wang, Llama 4 model names,
government use of Llama; and the hard negatives those broader rules must still leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.matching import Matcher, build_matcher, load_specs

TOPICS = Path(__file__).resolve().parent.parent / "config" / "topics.yaml"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return build_matcher(*load_specs(TOPICS))


POSITIVE = [
    ('Microsoft winds down data-labeling projects with Scale AI', 'The software giant is shifting work to other vendors.', 'scale-customers-exit'),
    ('xAI halts new orders from Scale AI', "Elon Musk's lab is moving its annotation work in-house.", 'scale-customers-exit'),
    ('Scale AI says it remains neutral despite investor ties', 'The company told customers that no single backer will see their data.', 'scale-customers-exit'),
    ('Frontier labs reconsider their reliance on Scale AI', 'Google and OpenAI are weighing alternatives after Meta bought in.', 'scale-customers-exit'),
    ('مايكروسوفت تعلق مشاريعها مع سكيل إيه آي', 'قالت الشركة إنها تراجع علاقتها بمزود البيانات بعد صفقة ميتا.', 'scale-customers-exit'),
    ('سكيل إيه آي تؤكد حيادها أمام العملاء', 'الشركة تقول إنها ستخدم جميع المختبرات بالتساوي.', 'scale-customers-exit'),
    ("Alexandr Wang now oversees Meta's product AI teams too", "The chief AI officer's remit grows as Zuckerberg consolidates groups.", 'wang-meta-role'),
    ('Alexandr Wang at Meta: a year in', 'The Scale AI founder runs the superintelligence lab and reports only to Zuckerberg.', 'wang-meta-role'),
    ('ألكسندر وانغ يتولى الإشراف على مختبر FAIR في ميتا', 'أصبح كبير مسؤولي الذكاء الاصطناعي مسؤولا عن البحث الأساسي.', 'wang-meta-role'),
    ("Researchers push back on the former Scale CEO's leadership at Meta", 'Some Meta AI scientists say the new boss lacks research experience.', 'wang-meta-role'),
    ('Outlier contractors say they are owed weeks of earnings', "Taskers on Scale AI's platform say payments were withheld.", 'scale-labor-legal'),
    ('Scale AI hit with class action over worker classification', 'Plaintiffs say they were treated as contractors.', 'scale-labor-legal'),
    ('Remotasks workers allege wage theft in new complaint', 'Contractors say the platform withheld pay.', 'scale-labor-legal'),
    ('متعاقدو Outlier يشكون من حجب مستحقاتهم', 'تقول الدعوى إن منصة Scale AI لم تدفع أجور ساعات العمل.', 'scale-labor-legal'),
    ('Scale AI shareholders to get payout from Meta deal', 'Early investors and employees will share the distribution.', 'meta-scale-deal'),
    ("FTC examines Meta's stake in Scale AI", 'The agency is asking whether the minority investment dodged merger review.', 'meta-scale-deal'),
    ("Meta's Scale AI deal gives early backers a rich exit", 'Accel and Index Ventures cash out part of their holdings.', 'meta-scale-deal'),
    ('ميتا تحصل على حصة غير تصويتية في سكيل إيه آي', 'تبلغ قيمة الشركة بعد الصفقة 29 مليار دولار.', 'meta-scale-deal'),
    ('Meta lures OpenAI researcher with $200 million package', 'The hire joins the superintelligence lab.', 'meta-ai-talent'),
    ('Meta appoints new chief scientist for its AI lab', 'The researcher comes from Google DeepMind.', 'meta-ai-talent'),
    ('Veteran Llama engineers depart Meta for Mistral', 'The AI researchers cited slow decisions.', 'meta-ai-talent'),
    ('Meta in talks to buy AI video startup', 'Zuckerberg approached Runway about an acquisition.', 'meta-ai-talent'),
    ('باحث من جوجل سينضم إلى مختبر الذكاء الفائق في ميتا', 'تواصل ميتا استقطاب الباحثين بعروض ضخمة.', 'meta-ai-talent'),
    ('ميتا تعين باحثا من OpenAI كبيرا للعلماء في مختبرها', 'يأتي التعيين ضمن سباق المواهب في الذكاء الاصطناعي.', 'meta-ai-talent'),
    ('Llama 4 Maverick slips in LMArena rankings', 'The public model ranked far below the experimental version.', 'llama4-benchmarks'),
    ("Meta's Maverick model draws criticism from developers", 'Users say it underperforms on coding tasks.', 'llama4-benchmarks'),
    ('نموذج Llama 4 يتراجع في ترتيب LMArena', 'النسخة العامة حلت في مركز متأخر مقارنة بالنسخة التجريبية.', 'llama4-benchmarks'),
    ("US agencies cleared to use Meta's Llama models", 'The GSA deal covers federal agencies, defense components included.', 'meta-defense'),
    ("Scale AI's Donovan platform deployed by US Army", 'The AI tool helps military planners.', 'meta-defense'),
    ('ميتا تتيح نموذج Llama للوكالات الحكومية الأمريكية', 'يشمل الاتفاق وكالات الأمن القومي.', 'meta-defense'),
    ('يان لوكون سيغادر ميتا نهاية العام', '', 'meta-ai-talent'),
    ('OpenAI stepping away from Scale AI, sources say', 'The ChatGPT maker is shifting work to rival vendors.', 'scale-customers-exit'),
    ("Meta's stake in Scale rattles Google", 'Google is pausing projects with the labeling firm.', 'scale-customers-exit'),
    ("Alexandr Wang: the Scale AI founder's first months at Meta", 'He now leads Meta Superintelligence Labs and answers only to Zuckerberg.', 'wang-meta-role'),
    ('سكيل إيه آي: دعوى جديدة من متعاقدين', 'يقول العاملون إن الشركة حجبت أجورهم.', 'scale-labor-legal'),
]


@pytest.mark.parametrize(("title", "summary", "topic"), POSITIVE)
def test_generalized_follow_ups_match(matcher: Matcher, title: str, summary: str, topic: str) -> None:
    got = {m.topic for m in matcher.match(title, summary)}
    assert got == {topic}, got


NEGATIVE = [
    ('Economies of scale help Walmart cut prices', 'The retailer ends some supplier contracts as customers switch to cheaper rivals. |'),
    ('Alexander Wang leads New York Fashion Week lineup', "The designer will head the closing show; Meta's Instagram will stream it. |"),
    ('Wang Yi heads to Washington for talks', "China's foreign minister will lead a delegation on AI security. |"),
    ("Meta's Quest headset sales slow as rivals cut prices", 'Meta leads the VR market but customers are switching to Apple. |'),
    ('Instagram to pause teen accounts features', 'Meta says it will halt some AI chatbot features for minors. |'),
    ('Surge AI lands Google and OpenAI as customers abandon legacy vendors', 'The labeling firm is hiring contractors. |'),
    ('Mercor sued by contractors over unpaid wages', 'The AI hiring platform misclassified workers, lawsuit says. |'),
    ('Palantir wins $10 billion Army deal', 'The Pentagon contract consolidates software work. |'),
    ('Meta AI app hits 1 billion users', 'Zuckerberg says the assistant will lead in personalization. |'),
    ('Meta fires employees who leaked product plans', 'The company dismissed about 20 staff over leaks to the press about AI glasses. |'),
    ("Scale AI launches Humanity's Last Exam with CAIS", 'The benchmark tests OpenAI and Google models; none scored above 10%. |'),
    ("Scale AI's revenue hits $870 million as OpenAI and Google keep buying data", 'The startup ended 2024 with record sales. |'),
    ('Meta hires former Apple designer for hardware push', 'The glasses team gains a veteran of industrial design. |'),
    ('Meta reports record ad revenue, plans more AI spending', 'Zuckerberg said the company will lead in AI infrastructure. |'),
    ('Llama farmers in Peru scale up wool exports', 'Meta-analysis shows alpaca fiber demand rising. |'),
    ('Google DeepMind hires Windsurf CEO', "The deal lets Google license the startup's technology. |"),
    ('Meta returns to growth as AI ads lift revenue', 'Shares jump after results. |'),
    ('Meta joins AI Alliance with IBM', 'The group promotes open-source AI models. |'),
    ('ميتا تطلق نظارات ذكية جديدة بالذكاء الاصطناعي', 'قال زوكربيرغ إن الشركة ستقود سوق النظارات. |'),
    ('وانغ يي يترأس وفد الصين إلى واشنطن', 'وزير الخارجية يناقش الذكاء الاصطناعي. |'),
    ('المصمم ألكسندر وانغ يقود عرض أزياء في نيويورك', 'بثت ميتا العرض عبر إنستغرام. |'),
    ('أوبر تواجه دعوى من سائقين بشأن الأجور', 'يقول المتعاقدون إن الشركة حجبت مستحقاتهم. |'),
    ('ترك جامعة MIT ليؤسس شركة ناشئة: قصة نجاح', 'الشاب الذي ترك الدراسة أصبح مليارديراً في مجال الذكاء الاصطناعي. |'),
    ("Meta's FTC trial: judge weighs Instagram deal", "Meta's defense argued the acquisitions benefited users. |"),
    ('Anduril raises $2.5 billion at $30.5 billion valuation', 'The defense startup plans more factories. |'),
    ('Meta signs deal with Scale of Trust foundation', '|'),
    ('Top Gun: Maverick returns to theaters', 'Paramount releases the film again. |'),
    ('Ford Maverick recall affects 200,000 trucks', "The pickup's rear camera may fail. |"),
    ('Boy Scout troop wins award', 'The scouts launched a reading program. |'),
    ('Meta Quest 3S review: great value', 'The headset launches at $299 with mixed reality apps. |'),
    ('Scale AI founder Alexandr Wang on why data is the new oil', 'In a 2024 interview, the then-CEO of Scale AI said data would lead AI progress. |'),
    ('Google to end Gemini contracts with Appen', 'The Australian labeling firm loses its biggest customer. |'),
    ("Meta's Llama used by Chinese researchers, report says", 'The model was adapted for chatbots. |'),
    ('Scale AI partners with Google Cloud on enterprise agents', 'The companies will jointly sell evaluation tools to customers. |'),
    ('Scale AI ends year with record government contracts', 'OpenAI remains a customer, executives said. |'),
    ('Alexandr Wang sells Los Angeles mansion', "The Scale AI founder bought a home in Palo Alto near Meta's campus. |"),
    ("Wang Xiaochuan to lead Baichuan's medical push", "The founder heads a team of researchers; Meta's Llama is a rival model. |"),
    ("Meta's Reality Labs loses $4 billion", 'The division that makes Quest headsets cut staff and paused projects. |'),
    ('Meta hires lobbyists in Washington', "The company recruited former senators' aides to work on privacy rules. |"),
    ('Meta leads AI spending as Google cuts capex', "Analysts expect Meta's AI investments to pay off. |"),
    ('Meta names new head of Instagram', "The executive will lead the app's product team. |"),
    ('Turing sued by annotators over unpaid wages', 'Contractors who trained AI models say payments were withheld. |'),
    ('Scale AI opens office in Qatar', 'The startup will hire local staff to serve government customers. |'),
    ('Pentagon to scale up AI drone program', 'The Defense Department wants thousands of autonomous systems. |'),
    ("Meta's chief AI scientist Yann LeCun says LLMs are a dead end", 'LeCun argued at a conference that world models will matter more. |'),
    ('Google DeepMind pauses Gemini image generation', 'The lab said it would halt the feature after criticism. |'),
    ('Zuckerberg testifies in FTC trial over Instagram deal', 'The Meta CEO defended the 2012 acquisition. |'),
    ('ميتا تخسر دعوى قضائية في أوروبا', 'المحكمة قضت بتغريم الشركة بسبب الإعلانات. |'),
    ('سكيل إيه آي تفتتح مكتبا في الرياض', 'الشركة ستخدم عملاء حكوميين في المنطقة. |'),
    ('OpenAI signs $200 million Pentagon contract', 'The deal covers AI tools for military administration. |'),
    ('Microsoft cuts ties with Chinese labeling vendor', 'The software maker ended contracts with data suppliers over security concerns. |'),
    ('Instagram leaves teens scrambling with new limits', 'Meta said AI tools would flag underage users. |'),
]


@pytest.mark.parametrize(("title", "summary"), NEGATIVE)
def test_broader_rules_leave_hard_negatives_alone(matcher: Matcher, title: str, summary: str) -> None:
    assert matcher.match(title, summary) == []


OTHER_TOPIC = [
    # a real follow-up, but of another topic than the vocabulary suggests
    ("OpenAI poaches Meta's head of AI infrastructure", "The engineer leaves Meta after seven years.", "meta-ai-talent"),
    ("DeepSeek model beats Llama 4 on benchmarks", "The Chinese lab's open model outperforms Meta's Maverick.", "llama4-benchmarks"),
    ("Can Scale AI stay neutral?", "After Meta's 49% stake, the startup says it serves every lab equally.", "scale-customers-exit"),
    ("Meta's Scale AI deal gives early backers a rich exit", "Accel and Index Ventures cash out.", "meta-scale-deal"),
    ("Meta's stake in Scale leaves rival labs scrambling", "Google and OpenAI are stepping away from Scale AI.", "scale-customers-exit"),
    ("ترك جامعة MIT ثم أسس سكيل إيه آي", "ألكسندر وانغ يقود اليوم مختبر الذكاء الفائق في ميتا.", "wang-meta-role"),
]


@pytest.mark.parametrize(("title", "summary", "topic"), OTHER_TOPIC)
def test_only_the_right_topic(matcher: Matcher, title: str, summary: str, topic: str) -> None:
    assert {m.topic for m in matcher.match(title, summary)} == {topic}


def test_future_particle_is_tried_off_verbs_not_names() -> None:
    from monitor.matching.text import fold, forms

    assert "يغادر" in forms(fold("سيغادر"))
    assert "توقف" in forms(fold("وستوقف"))
    assert forms(fold("سكيل")) == ("سكيل",)


# Patterns added after the second labeler's probe (sentences written for these tests).
POSITIVE_2 = [
    # customers leaving without an exit verb: work shifted to rivals, labs gone, customers won over
    ("Labeling rivals are winning Scale AI's customers", "Demand has moved to Surge since Meta's investment.", "scale-customers-exit"),
    ("Scale AI leans on government work with frontier labs gone", "Its interim chief says enterprise deals fill the gap left by the labs.", "scale-customers-exit"),
    ("AI labs move data work away from Scale AI", "The shift followed Meta's purchase of a large stake.", "scale-customers-exit"),
    ("عملاء سكيل يتجهون إلى شركات منافسة", "مختبرات كبرى نقلت أعمالها بعيدا عن سكيل بعد استثمار ميتا.", "scale-customers-exit"),
    # deal: figures, regulation of acqui-hires, control without a majority, restructuring verbs
    ("What Meta really got for $14.3 billion", "Analysts question the value of a founder-led team.", "meta-scale-deal"),
    ("Competition officials eye Meta's Scale AI arrangement", "The structure avoided merger rules, critics say.", "meta-scale-deal"),
    ("Meta's Scale AI bet leaves it owning less than half the startup", "The company gets no board seats.", "meta-scale-deal"),
    ("Scale AI trims its generative AI unit months after Meta deal", "The startup is refocusing on government work.", "meta-scale-deal"),
    ("ماذا حصلت ميتا عليه مقابل 14.3 مليار دولار؟", "لم تنل الشركة مقاعد في مجلس الإدارة.", "meta-scale-deal"),
    ("صفقة ميتا وسكيل تثير تساؤلات الجهات الرقابية", "يرى خبراء أن الاستثمار في حصص أقلية يتجاوز قواعد الاندماج.", "meta-scale-deal"),
    ("ثروة وانغ تتضاعف مع تقييم سكيل بـ29 مليار دولار", "أصبح مؤسس الشركة من أغنى الشباب بعد صفقة ميتا.", "meta-scale-deal"),
    # Wang by description, friction words
    ("Veteran Meta researchers chafe under the new chief AI officer", "Some say the lab's priorities changed overnight.", "wang-meta-role"),
    ("باحثون في ميتا يشككون في القائد الجديد للذكاء الاصطناعي", "يقولون إن مؤسس Scale AI يفتقر إلى الخبرة البحثية.", "wang-meta-role"),
    # talent: chief scientist appointments, startups' co-founders leaving for Meta, hiring-race words
    ("Meta names former OpenAI researcher chief scientist of its superintelligence unit", "", "meta-ai-talent"),
    ("Thinking Machines co-founder leaves for Meta", "He departs Mira Murati's startup after months of talks.", "meta-ai-talent"),
    ("مؤسس مشارك في ثينكنغ ماشينز ينضم إلى ميتا", "غادر الشركة التي أسستها ميرا موراتي.", "meta-ai-talent"),
    ("Meta agrees to buy AI chip startup", "The engineers will join Meta's infrastructure group.", "meta-ai-talent"),
    ("Zuckerberg's hiring binge continues", "Meta's pay packages drew new hires from OpenAI and Google DeepMind.", "meta-ai-talent"),
    ("Yann LeCun, the former chief scientist at Meta, raises funds for his startup", "", "meta-ai-talent"),
    # defense: the Department of War, bare سكيل next to defense words
    ("وزارة الحرب الأمريكية توسع عقدها مع سكيل", "يستخدم الجيش أدوات ذكاء اصطناعي للتخطيط.", "meta-defense"),
    ("Department of War picks Scale AI for planning agents", "The deal covers military logistics.", "meta-defense"),
    # Llama 4 controversy without the model's name
    ("Meta's AI chief denies the company trained on test sets", "An anonymous post had alleged benchmark manipulation.", "llama4-benchmarks"),
]


@pytest.mark.parametrize(("title", "summary", "topic"), POSITIVE_2)
def test_second_probe_patterns_match(matcher: Matcher, title: str, summary: str, topic: str) -> None:
    assert topic in {m.topic for m in matcher.match(title, summary)}


NEGATIVE_2 = [
    # adjective "talent-dense", no hiring
    ("Meta says its superintelligence lab is small and talent-dense", "Zuckerberg wants fewer people per project.", "meta-ai-talent"),
    # Scale AI only as a time marker for a Perplexity story
    ("Meta held talks to buy a search startup before its Scale AI investment", "The talks over Perplexity ended.", "meta-scale-deal"),
    ("ميتا أجرت محادثات لشراء Perplexity قبل صفقة سكيل", "لم تفض المحادثات إلى اتفاق.", "meta-scale-deal"),
    # rival labeling firms courting Scale's ex-clients worried about the stake
    ("Labeling startups court former Scale AI clients", "Clients are worried about Meta's 49% stake and want neutral vendors.", "meta-scale-deal"),
    # researchers resisting Wang: employees are not a restructuring
    ("موظفون في ميتا ينتقدون مؤسس Scale AI", "يقول موظفين إن فريقه يحظى بالأولوية.", "meta-scale-deal"),
    # someone else's appointment at Scale
    ("سكيل إيه آي تعين رئيسا تنفيذيا مؤقتا بعد رحيل وانغ إلى ميتا", "", "wang-meta-role"),
    ("Scale AI names successor as Wang heads to Meta", "The interim chief will run the company.", "wang-meta-role"),
    # Meta's other money and other Wangs
    ("Meta raises $29 billion for data centers", "The financing came from private credit firms.", "meta-scale-deal"),
    ("Meta acquires stake in eyewear maker", "The deal follows years of cooperation.", "meta-ai-talent"),
    ("Department of War signs cloud deal with Oracle", "The military will move workloads.", "meta-defense"),
]


@pytest.mark.parametrize(("title", "summary", "topic"), NEGATIVE_2)
def test_second_probe_false_alarms_stay_fixed(matcher: Matcher, title: str, summary: str, topic: str) -> None:
    assert topic not in {m.topic for m in matcher.match(title, summary)}


def test_arabic_proclitic_on_a_number_is_split_off() -> None:
    from monitor.matching.text import tokenize

    doc = tokenize("ميتا دفعت بـ14.3 مليار دولار", "")
    assert doc.norm[-4:] == ["ب", "14.3", "مليار", "دولار"]
    assert doc.span(len(doc.norm) - 4, len(doc.norm) - 2) == "ب14.3"
    assert tokenize("Meta paid $14.3 billion", "").norm == ["meta", "paid", "14.3", "billion"]


@pytest.mark.parametrize(("title", "summary", "expected"), [
    ("Frontier labs now prefer data from Surge over Scale AI's", "Buyers cite Meta's stake.", True),
    ("مختبرات الذكاء الاصطناعي تفضل بيانات Mercor على سكيل", "بعد صفقة ميتا.", True),
    ("Customers still prefer Scale AI, Meta says", "The startup keeps its biggest accounts.", False),
])
def test_labs_preferring_rival_vendors(matcher: Matcher, title: str, summary: str, expected: bool) -> None:
    assert ("scale-customers-exit" in {m.topic for m in matcher.match(title, summary)}) is expected


# Third probe's patterns (search-page style), on sentences written here. Each row: title, summary,
# topics that must match, topics that must not.
THIRD = [
    # 1. the deal as the cause of a customer's move is customers-exit only ...
    ("Anthropic winds down its Scale AI contracts", "The lab started pausing projects after Meta bought a 49% stake in the vendor.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("مايكروسوفت توقف مشاريعها مع سكيل إيه آي", "جاء القرار بعد إعلان ميتا شراء حصة 49% مقابل 14.3 مليار دولار في الشركة.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    # ... while the stake as the subject is deal news
    ("Scale AI's valuation doubles to $29 billion after Meta's investment", "Meta's non-voting stake sets the new price.",
     {"meta-scale-deal"}, set()),
    ("قيمة سكيل إيه آي ترتفع إلى 29 مليار دولار بعد استثمار ميتا", "الحصة غير التصويتية تحدد التقييم الجديد.",
     {"meta-scale-deal"}, set()),
    # 2. Scale AI as a time marker in a story about Meta's other acquisition talks
    ("Meta weighed buying Thinking Machines before its Scale AI bet", "The lab, valued at $12 billion, declined the offer.",
     set(), {"meta-scale-deal"}),
    # 3. Scale's earlier rounds with Meta taking part are not the 2025 deal
    ("Scale AI closes round valuing it at $7 billion with Meta participating", "Existing backers also joined the financing.",
     set(), {"meta-scale-deal"}),
    ("سكيل إيه آي تجمع تمويلا بتقييم 7 مليارات دولار بمشاركة ميتا", "شارك مستثمرون حاليون في الجولة.",
     set(), {"meta-scale-deal"}),
    # 4. "since the stake" in a valuation story is still the deal
    ("Scale AI's valuation has held since Meta's 49% stake", "Secondary buyers pay the $29 billion price.",
     {"meta-scale-deal"}, set()),
    # 5. governance of the stake, the partnership's health, the interim CEO's restructuring
    ("Scale AI builds a firewall to keep Meta away from rival labs' data", "", {"meta-scale-deal"}, set()),
    ("Meta gets no board seat at Scale AI under the deal terms", "", {"meta-scale-deal"}, set()),
    ("Meta's relationship with Scale AI has soured, insiders say", "Teams complain about data quality.", {"meta-scale-deal"}, set()),
    ("Scale AI is laying off a fifth of its sales team", "Interim CEO Jason Droege said the company will refocus on government work.",
     {"meta-scale-deal"}, set()),
    # 6. customers slowing down, Meta's own teams preferring rival vendors, Arabic losses
    ("Scale AI outlines plan to win back customers that slowed work with it", "The company also trims its sales staff.",
     {"scale-customers-exit"}, set()),
    ("Meta's superintelligence researchers prefer Mercor over Scale AI", "Some consider the vendor's data low quality.",
     {"scale-customers-exit"}, set()),
    ("سكيل إيه آي: عملاء أبطأوا العمل معنا بعد صفقة ميتا", "الشركة تسعى لاستعادة العملاء.", {"scale-customers-exit"}, set()),
    ("سكيل إيه آي تقر: خسرنا عملاء بعد صفقة ميتا", "", {"scale-customers-exit"}, set()),
    # 7. someone who followed Wang to Meta is not Wang's role
    ("Engineer who followed Wang to Meta quits", "She had joined Meta to oversee data operations for the superintelligence lab.",
     set(), {"wang-meta-role"}),
    # 8. a model's "offers", and the Chan Zuckerberg Initiative, are not Meta's talent race
    ("Meta's new Llama model offers faster answers", "The model offers quality close to larger versions.", set(), {"meta-ai-talent"}),
    ("Chan Zuckerberg Initiative expands its AI biology institute", "Priscilla Chan and Mark Zuckerberg said it is hiring scientists to build AI models.",
     set(), {"meta-ai-talent"}),
    ("مبادرة تشان زوكربيرغ توظف علماء في الذكاء الاصطناعي", "", set(), {"meta-ai-talent"}),
    # 9. Wang-led cuts and hires are the talent race as well as his role
    ("Wang announces AI job cuts across Meta's research groups", "Meta's chief AI officer Alexandr Wang told staff FAIR will shrink.",
     {"meta-ai-talent", "wang-meta-role"}, set()),
    ("زوكربيرغ يطلق مختبرات الذكاء الفائق بقيادة ألكسندر وانغ", "وأعلنت ميتا ضم باحثين من جوجل وOpenAI إلى الفريق.",
     {"meta-ai-talent", "wang-meta-role"}, set()),
]


# Patterns from a fourth independent labeler (tests/data/probe4.jsonl), written anew here: generic words
# read in their noun/people sense only, implied entities, and wider exit/labor/hiring vocabularies.
FOURTH = [
    # 1. "courts" as a verb and "suits up" are not lawsuits
    ("Meta courts top researchers from Scale AI's rivals", "Recruiters offered large packages to AI scientists.",
     set(), {"scale-labor-legal"}),
    ("Scale AI suits up for a government push", "Its contractors will build tools for defense agencies.",
     set(), {"scale-labor-legal"}),
    ("Scale AI workers take their pay dispute to court", "A class action says contractors were underpaid.",
     {"scale-labor-legal"}, set()),
    # 2. "new AI chief" of another company, in an item that names Meta, is not Wang
    ("Apple names a new AI chief after talent losses to Meta", "The company promoted a longtime engineer.",
     set(), {"wang-meta-role"}),
    # 3. a customer exodus is not a talent departure; Reality Labs is not AI
    ("Scale AI denies a customer exodus", "The company said Meta gets no special access and AI labs still buy its data.",
     {"scale-customers-exit"}, {"meta-ai-talent"}),
    ("Meta cuts jobs at Reality Labs", "The cuts hit teams building headsets and smart glasses in Reality Labs.",
     set(), {"meta-ai-talent"}),
    ("Meta faces a researcher exodus from its AI lab", "Several scientists left for OpenAI this month.",
     {"meta-ai-talent"}, set()),
    # 4. Arabic "employ" of a technology is not hiring; people as the object is
    ("ميتا تعزز توظيف الذكاء الاصطناعي في إعلاناتها", "تستخدم الشركة النماذج لتحسين استهداف المعلنين.",
     set(), {"meta-ai-talent"}),
    ("ميتا توظف باحثين جددا في مختبر الذكاء الاصطناعي", "", {"meta-ai-talent"}, set()),
    ("زوكربيرغ يقدم عروضا ضخمة لجذب مهندسي الذكاء الاصطناعي إلى ميتا", "", {"meta-ai-talent"}, set()),
    # 5. the Chan Zuckerberg Initiative in Arabic spellings is not Meta
    ("مبادرة تشان زوكربرغ تستقطب الباحثين في علم الأحياء والذكاء الاصطناعي", "", set(), {"meta-ai-talent"}),
    # 6. regulators' competition review is deal news, not customers leaving
    ("هيئات المنافسة تدرس صفقة ميتا وسكيل إيه آي", "يرى خبراء قانون المنافسة أن الصفقة قد تستدعي مراجعة تنظيمية.",
     {"meta-scale-deal"}, {"scale-customers-exit"}),
    # 7. the stake as the present state in a customers' story is not deal news
    ("Labs question Scale AI's neutrality", "With Meta now holding nearly half the vendor, customers ask who sees their data.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    # 8. implied Wang: head of Meta's superintelligence unit, "Zuck", appointments he makes
    ("Meta Superintelligence Labs splits into four teams", "The head of the unit told staff the change speeds up work.",
     {"wang-meta-role"}, set()),
    ("Researcher named chief scientist of Meta Superintelligence Labs", "Alexandr Wang said the new hire will set the research agenda.",
     {"wang-meta-role"}, set()),
    ("ميتا: وانغ سيشرف على فرق المنتجات أيضا", "ستنتقل الفرق إلى المجموعة التي يقودها ألكسندر وانغ.",
     {"wang-meta-role"}, set()),
    # 9. Scale named by its trade, in a story about its founder
    ("Google moves its labeling budget", "Google had planned to spend on the data-labeling startup Alexandr Wang ran before joining Meta; "
     "the money now goes to other vendors.", {"scale-customers-exit"}, set()),
    ("Meta invests in a data-labeling startup", "The data-labeling startup Surge AI is not part of the talks.", set(),
     {"scale-customers-exit", "meta-scale-deal"}),
    # 10. customers cutting spend (Arabic), former clients going to rivals
    ("أوبن إيه آي تخفض إنفاقها على سكيل إيه آي", "الشركة بدأت محادثات مع منافسين بعد صفقة ميتا.",
     {"scale-customers-exit"}, set()),
    ("Rivals move to win Scale AI's former clients", "Surge and Mercor pitch labs that left after the Meta deal.",
     {"scale-customers-exit"}, set()),
    # 11. labor: settled worker class actions, pay complaints on Outlier, psychological harm, Arabic suits
    ("Scale AI settles worker class actions", "The company will pay contractors who said they were misclassified.",
     {"scale-labor-legal"}, set()),
    ("Outlier workers file pay complaints with a labor group", "They say hours spent on AI training tasks went unpaid.",
     {"scale-labor-legal"}, set()),
    ("Contractors who labeled graphic images for Scale say they had no counseling", "A lawsuit describes lasting trauma from AI work.",
     {"scale-labor-legal"}, set()),
    ("دعويان عماليتان ضد شركة البيانات", "يتهم عاملون سابقون Scale AI بسوء تصنيفهم في قضيتين منفصلتين.",
     {"scale-labor-legal"}, set()),
    # 12. Wang's stake worth, the conversion ratio
    ("Alexandr Wang's stake worth billions after Meta deal", "", {"meta-scale-deal"}, set()),
    ("Wang keeps a 1.5 ratio on his Scale shares", "The clause applies if he leaves Meta.", {"meta-scale-deal"}, set()),
    # "zuck" in any case with Meta; a 28-year-old running Meta's superintelligence lab
    ("zuck says the 28-year-old will lead Meta Superintelligence Labs", "", {"wang-meta-role"}, set()),
    ("Zuck hands AI researchers huge offers", "Meta is recruiting from OpenAI.", {"meta-ai-talent"}, set()),
    # 13. a co-lead hire; Wang "hired to run" the lab is his role, not a hire
    ("Meta's superintelligence lab to be co-led by Nat Friedman", "Zuckerberg said the former GitHub CEO co-leads the AI effort.",
     {"meta-ai-talent"}, set()),
    ("Wang, hired to run Meta's superintelligence lab, now also oversees product AI", "",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    # 14. Alexander Wang the designer still excluded; Arabic "collection" of a fashion show still fashion
    ("ألكسندر وانغ يقدم مجموعة أزياء جديدة", "عرض المصمم في أسبوع الموضة بعيدا عن ميتا.", set(), {"wang-meta-role"}),
]


# Patterns from the fifth probe (probe5.jsonl): stake terms as background in customers stories,
# Wang's appointment and Washington ties, a departure in passing, and missed customer-exit phrasings.
FIFTH = [
    # 1. a data firewall inside a customers/neutrality sentence is not deal news (but seats and votes are the
    #    stake's terms: see ELEVENTH)
    ("Scale AI says it is still neutral", "The company says other customers' data is walled off from Meta.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("OpenAI winds down work with Scale AI", "The lab is wary now that Meta owns nearly half the vendor.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("عملاء سكيل يرحلون", "قالت مصادر إن جوجل تقلص اعتمادها على Scale AI خشية وصول بياناتها إلى ميتا التي استحوذت على 49% من أسهمها.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    # ... while a title about the governance itself stays a deal story
    ("Scale AI builds a firewall between Meta and other customers", "", {"meta-scale-deal"}, set()),
    # 2. Wang named to a role is his role, not the talent race
    ("Meta names Alexandr Wang chief AI officer", "Wang will run the new superintelligence lab.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    # 3. a former employee quoted after leaving is not a departure story
    ("Former Meta researcher criticizes Llama 4", "Speaking after leaving the company, the AI scientist said Meta's models were rushed.",
     {"llama4-benchmarks"}, {"meta-ai-talent"}),
    # 4. Wang at the White House is Washington ties, not his Meta role
    ("Meta's AI chief attends White House AI summit", "Alexandr Wang, now leading Meta Superintelligence Labs, met officials in Washington.",
     set(), {"wang-meta-role"}),
    ("ألكسندر وانغ في البيت الأبيض", "حضر وانغ، الذي يقود مختبر ميتا للذكاء الفائق، فعالية في البيت الأبيض بواشنطن.",
     set(), {"wang-meta-role"}),
    # 5. customers leaving, phrased without "Scale AI" next to the verb
    ("Anthropic pauses Scale projects as labs weigh exposure to Meta", "", {"scale-customers-exit"}, set()),
    ("OpenAI shifting labeling work away from Scale", "The lab is moving rater jobs to other vendors.",
     {"scale-customers-exit"}, set()),
    ("What happens to Scale AI when its customers walk?", "Google and OpenAI have cooled on the Wang-founded labeling shop.",
     {"scale-customers-exit"}, set()),
    # 6. Wang leaving Scale to lead a superintelligence group at Meta
    ("Wang hands the CEO job to Jason Droege", "Scale AI's founder steps down to lead a new superintelligence group at Meta, with Droege as interim CEO.",
     {"wang-meta-role"}, set()),
    # 7. a poached researcher in a leadership explainer
    ("Zuckerberg's new AI team", "With Wang as chief AI officer, Nat Friedman on products and poached OpenAI researcher Shengjia Zhao as chief scientist, Meta has a new top team.",
     {"meta-ai-talent", "wang-meta-role"}, set()),
]


# Patterns from the sixth probe set's errors, on sentences written for this test.
SIXTH = [
    # 1. the buyer named only as "its rival" with the stake: customers leaving all the same
    ("Anthropic had big plans with Scale AI. Now it is walking away",
     "The lab, one of the startup's largest clients, will cut ties after a competitor took a large stake.",
     {"scale-customers-exit"}, set()),
    # 2. Arabic: moving to Meta to lead its superintelligence team is Wang's role
    ("ما قصة الشاب الذي اختاره زوكربيرغ؟",
     "أسس ألكسندر وانغ شركة Scale AI وهو في التاسعة عشرة، والآن ينتقل إلى ميتا لقيادة فريق الذكاء الفائق.",
     {"wang-meta-role"}, set()),
    # 3. the superintelligence lab's chief scientist is someone else
    ("Meta makes a former Google researcher its superintelligence chief scientist",
     "The scientist joins Meta Superintelligence Labs in Zuckerberg's latest hire.",
     {"meta-ai-talent"}, {"wang-meta-role"}),
    # 4. "remains independent" in a deal story is the deal, not a neutrality claim to customers
    ("Meta buys 49% of Scale AI", "Scale's founder moves to Meta to work on superintelligence, while the startup remains independent.",
     {"meta-scale-deal"}, {"scale-customers-exit"}),
    ("Scale AI insists it is independent of Meta", "The labeling firm told clients their data stays private.",
     {"scale-customers-exit"}, set()),
    # 5. Arabic: overseeing a team of researchers is his role, not a hiring story
    ("وانغ يتولى مختبر الذكاء الفائق في ميتا", "سيشرف وانغ على فريق صغير من كبار الباحثين ويتبع زوكربيرغ مباشرة.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    # 6. "customer data is walled off from Meta" is Scale's neutrality claim, not deal governance
    ("Amazon is the latest lab to pull back from Scale AI",
     "Amazon is winding down its Scale AI projects after Meta bought in. Scale says customer data is walled off from Meta.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
]


# Phrasings found by writing everyday follow-ups in both languages (round 7).
SEVENTH = [
    ("xAI is said to put Scale AI work on ice", "", {"scale-customers-exit"}, set()),
    ("عملاء سكيل إيه آي يبحثون عن بدائل بعد استثمار ميتا", "", {"scale-customers-exit"}, set()),
    ("Lucy Guo becomes youngest self-made woman billionaire",
     "The Scale AI co-founder is worth $1.2 billion after Meta bought 49% of the startup.", {"meta-scale-deal"}, set()),
    # a wealth ranking with no tie to the deal is not deal news
    ("Lucy Guo tops list of young self-made billionaires", "The co-founder of Scale AI also runs the creator platform Passes.",
     set(), {"meta-scale-deal"}),
    ("باحثون يغادرون مختبر الذكاء الفائق في ميتا بعد أسابيع من انضمامهم", "", {"meta-ai-talent"}, set()),
    # someone else's hire, with Wang as the boss, is the talent race, not Wang's role
    ("Meta poaches Apple's head of AI models",
     "Ruoming Pang will join Meta Superintelligence Labs, which is led by Alexandr Wang.", {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Meta hires OpenAI researcher who will report to Alexandr Wang", "", {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Three OpenAI researchers join Meta's superintelligence team",
     "The hires will work under chief AI officer Alexandr Wang.", {"meta-ai-talent"}, {"wang-meta-role"}),
    # ... but hiring Scale's founder is Wang's move
    ("Meta hires the Scale AI founder for its new lab", "Alexandr Wang will run the superintelligence team.",
     {"wang-meta-role"}, set()),
    ("Alexandr Wang's stake in Scale AI now worth billions after Meta deal", "", {"meta-scale-deal"}, set()),
    ("Meta gives Alexandr Wang control of its AI products too", "", {"wang-meta-role"}, set()),
    ("Inside Alexandr Wang's first year at Meta", "", {"wang-meta-role"}, set()),
    ("ألكسندر وانغ يعيد تنظيم فرق الذكاء الاصطناعي في ميتا", "", {"wang-meta-role"}, set()),
    # the deal's figure written the way other languages' coverage writes it
    ("Meta invierte 14.300 millones de dólares en Scale AI", "", {"meta-scale-deal"}, set()),
    ("Meta investiert 14,3 Milliarden Dollar in Scale AI", "", {"meta-scale-deal"}, set()),
    # a few core words of other languages' coverage (es, pt, fr, de, id, tl)
    ("Meta anuncia una inversión en Scale AI", "", {"meta-scale-deal"}, set()),
    ("OpenAI deja de trabajar con Scale AI tras el acuerdo con Meta", "", {"scale-customers-exit"}, set()),
    ("Scale AI demandada por trabajadores por salarios impagos", "", {"scale-labor-legal"}, set()),
    ("Alexandr Wang dirigirá el laboratorio de superinteligencia de Meta", "", {"wang-meta-role"}, set()),
    ("La demanda de datos de Scale AI crece", "", set(), {"scale-labor-legal"}),
    ("US labor regulators end investigation into Scale AI", "", {"scale-labor-legal"}, set()),
    ("متعاقدو سكيل إيه آي يتهمونها بسرقة الأجور", "", {"scale-labor-legal"}, set()),
    ("Meta accused of gaming AI benchmarks with experimental model", "", {"llama4-benchmarks"}, set()),
    ("Meta's superintelligence lab loses two researchers back to OpenAI", "", {"meta-ai-talent"}, set()),
    ("Meta brings in Apple's AI chief", "Ruoming Pang led Apple's foundation models team.", {"meta-ai-talent"}, set()),
    ("Meta buys chip startup Rivos to boost AI efforts", "", {"meta-ai-talent"}, set()),
    ("Why top AI researchers are turning down Meta's money", "", {"meta-ai-talent"}, set()),
    ("زوكربيرغ يجند بنفسه خبراء الذكاء الاصطناعي", "", {"meta-ai-talent"}, set()),
    # "brings in" and "snags" move people only with a person as the object
    ("Meta brings in AI-generated ads to Threads", "", set(), {"meta-ai-talent"}),
    ("Meta snags AI chip supply from Nvidia", "", set(), {"meta-ai-talent"}),
    ("Scale AI investors to receive distributions after Meta deal", "", {"meta-scale-deal"}, set()),
    ("What Meta gets for its Scale AI money", "", {"meta-scale-deal"}, set()),
    ("سكيل إيه آي تعين رئيسا تنفيذيا مؤقتا بعد انتقال وانغ إلى ميتا", "", {"meta-scale-deal"}, set()),
]


# Patterns from the seventh probe set's errors (round 8), on sentences written for this test.
EIGHTH = [
    # the startup by description in a story about Meta's deal; customers' trust and their return
    ("Two years after the Meta deal, can the data-labeling startup win back its labs?", "", {"scale-customers-exit"}, set()),
    ("Scale AI cuts its revenue forecast as big labs pull work", "", {"scale-customers-exit"}, set()),
    ("OpenAI quietly resumes some evaluation work with Scale AI", "", {"scale-customers-exit"}, set()),
    ("بعد صفقة ميتا.. هل تستعيد شركة وسم البيانات ثقة عملائها؟", "", {"scale-customers-exit"}, set()),
    ("رئيس سكيل إيه آي: لن نشارك ميتا بيانات عملائنا", "", {"scale-customers-exit"}, {"meta-scale-deal"}),
    # the deal without the company's name, or with the rounded figure as the bet
    ("How a flopped model launch sent Zuckerberg shopping for Scale AI", "", {"meta-scale-deal"}, set()),
    ("Meta's $14 billion bet on a labeling company, one year on", "", {"meta-scale-deal"}, {"meta-ai-talent"}),
    ("نواب أمريكيون: صفقة ميتا مع الشركة الناشئة استحواذ مقنع", "", {"meta-scale-deal"}, set()),
    ("ميتا تبحث تحويل حصتها في سكيل إلى أسهم بحقوق تصويت", "", {"meta-scale-deal"}, set()),
    # the article on a number ("الـ14.3") is split off so the figure is whole
    ("ميتا تبرم صفقة الـ14.3 مليار دولار مع سكيل", "", {"meta-scale-deal"}, set()),
    # departures phrased as a former employee joining elsewhere, or leaving a startup for Meta
    ("Ex-FAIR director joins Mistral as head of research", "The researcher spent eight years at Meta's AI lab.",
     {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Startup co-founder leaves Thinking Machines for Meta", "", {"meta-ai-talent"}, set()),
    ("PyTorch veteran is leaving Meta", "", {"meta-ai-talent"}, set()),
    ("ميتا تستغني عن مئات الموظفين في وحدتها للذكاء الاصطناعي", "", {"meta-ai-talent"}, set()),
    # Scale's layoffs after Meta's stake are not Meta's talent race
    ("سكيل إيه آي تسرح موظفين بعد صفقة ميتا", "ستستغني الشركة عن 200 موظف بعد أن استحوذت ميتا على 49% منها في مجال الذكاء الاصطناعي.",
     {"meta-scale-deal"}, {"meta-ai-talent"}),
    # Lucy Guo's clash with Wang years ago is not his role at Meta
    ("Lucy Guo says the Meta deal earns her $750 million", "Guo left Scale in 2018 after clashing with Wang.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    # labor: workers suing over pay, Scale named in another sentence
    ("The people who label data for Scale AI", "Several contractors are suing, saying they were underpaid.",
     {"scale-labor-legal"}, set()),
    # "settling on Scale" is a choice; Arabic "data labeling" is not pay classification
    ("Meta weighed other startups before settling on Scale AI", "", set(), {"scale-labor-legal"}),
    ("متعاقدون: xAI أوقفت مهام تصنيف البيانات مع سكيل", "", set(), {"scale-labor-legal"}),
    ("زوكربيرغ: Llama 4 لم يصل إلى المستوى المأمول", "", {"llama4-benchmarks"}, set()),
]


# Patterns from the eighth probe set's even half (round 9), on sentences written for this test.
NINTH = [
    # a product launched by the lab Wang leads is not about his role
    ("Meta rolls out an AI music generator", "It was built by Meta Superintelligence Labs, the unit run by Alexandr Wang.",
     set(), {"wang-meta-role"}),
    ("ميتا تطلق مساعدا صوتيا جديدا", "طور المساعد مختبر الذكاء الفائق الذي يقوده ألكسندر وانغ.", set(), {"wang-meta-role"}),
    # Wang on national security is the defense topic, not his role
    ("وانغ: الذكاء الاصطناعي قضية أمن قومي", "قال كبير مسؤولي الذكاء الاصطناعي في ميتا إن السباق مع الصين أولوية دفاعية.",
     {"meta-defense"}, {"wang-meta-role"}),
    # a customers-exit title makes the body's stake terms the reason, not deal news
    ("Big labs rethink their main data supplier", "Google and xAI are moving projects away from Scale AI, wary that Meta's 49% holding exposes them.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("مايكروسوفت تنسحب من التعامل مع سكيل إيه آي", "قالت مصادر إن حصة ميتا البالغة 49% عجلت بقرار إنهاء العلاقة.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    # the company by its bare name where labs pull their data work; lab work drying up
    ("Anthropic winds down its data work with Scale", "", {"scale-customers-exit"}, set()),
    ("Scale AI turns to governments as lab work dries up", "Fewer frontier labs buy its data since Meta's investment.",
     {"scale-customers-exit"}, set()),
    # Wang's reach in Arabic idiom ("in Wang's hands", supervising most teams)
    ("ميتا تعيد ترتيب فرقها والمختبر الرئيسي يبقى في يد وانغ", "", {"wang-meta-role"}, set()),
    ("كيف صعد وانج في ميتا؟", "انتقل من إدارة شركة ناشئة إلى الإشراف على فرق الذكاء الاصطناعي في ميتا.", {"wang-meta-role"}, set()),
    # talent: a Llama researcher leaving, hiring freezes, the war for talent in Arabic
    ("Another Llama scientist heads for the exit", "", {"meta-ai-talent"}, set()),
    ("ميتا جمدت التوظيف في مختبرات الذكاء الفائق", "", {"meta-ai-talent"}, set()),
    ("زوكربيرج يخوض معركة المواهب بعروض ضخمة", "", {"meta-ai-talent"}, set()),
    # "departments" is not a departure
    ("US agencies get Meta's Llama at no cost", "The deal lets government departments, the military included, use Llama models.",
     {"meta-defense"}, {"meta-ai-talent"}),
    # civilian agencies alone are not defense work
    ("GSA deal gives civilian agencies Meta's Llama for free", "Agencies will use the models to speed up paperwork.",
     set(), {"meta-defense"}),
    # labor in Arabic: complaints, trauma, violent content; Scale transliterated next to its workers
    ("عمال «سكيل» يشكون أجورا متدنية", "", {"scale-labor-legal"}, set()),
    ("مراجعة محتوى عنيف بلا دعم نفسي", "يقول عاملون سابقون في منصات شركة سكيل إيه آي إنهم راجعوا محتوى عنيفا لتدريب النماذج.",
     {"scale-labor-legal"}, set()),
    # the deal's structure described in Arabic ("a stake without a vote")
    ("ليست صفقة استحواذ عادية", "دخلت ميتا إلى سكايل بحصة كبيرة بلا صوت مع انتقال المؤسس.", {"meta-scale-deal"}, set()),
    # Llama 4's Maverick on the leaderboard
    ("The Maverick that topped the leaderboard was not the one released", "", {"llama4-benchmarks"}, set()),
]


# Patterns from the eighth probe set's held-out half, after it was measured (round 10), on sentences
# written for this test.
TENTH = [
    ("The 28-year-old now running Meta's AI", "", {"wang-meta-role"}, set()),
    ("Wang gets the keys to Meta's FAIR lab", "", {"wang-meta-role"}, set()),
    ("باحثون يعودان إلى جوجل بعد أسابيع في ميتا", "", {"meta-ai-talent"}, set()),
    ("Meta lands Google DeepMind researcher as its new chief scientist", "", {"meta-ai-talent"}, set()),
    ("Scale AI says it still works with most frontier labs", "A spokesperson said Meta gets no special access to other labs' data.",
     {"scale-customers-exit"}, set()),
    ("«سكيل» تسرح موظفين وتعد باستعادة من ابتعدوا عنها", "جاء القرار بعد أسابيع من استثمار ميتا.", {"scale-customers-exit"}, set()),
    ("Scale AI's valuation slips in secondary sales", "Investors weigh the loss of big lab contracts after Meta's investment.",
     {"scale-customers-exit"}, set()),
    # the deal as background in a labor story, a neutrality pitch or a product launch
    ("Raters suing Scale AI cite Meta windfall in wage fight", "Lawyers say a company with a multibillion-dollar investment can afford back pay.",
     {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("Scale AI's neutrality pledge draws doubts", "Jason Droege says Meta will never see another lab's data.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("سكيل إيه آي تطلق أداة لاختبار النماذج", "وكانت ميتا قد استحوذت على 49% من الشركة العام الماضي.", set(), {"meta-scale-deal"}),
    # Lucy Guo's own startup, with the deal as her background
    ("Passes, Lucy Guo's startup, lays off staff", "Guo co-founded Scale AI and became a billionaire after Meta's investment.",
     set(), {"meta-scale-deal"}),
]


# Patterns from probe sets 9 and 10 (rounds 11-13), on sentences written for this test.
ELEVENTH = [
    # Arabic: a lawsuit next to سكيل names the company; the semicolon ends a sentence
    ("محكمة ترفض إسقاط دعوى أجور ضد سكيل", "", {"scale-labor-legal"}, set()),
    ("عام على وصول وانغ إلى ميتا", "ثلاث عمليات إعادة هيكلة؛ حصيلة عام من قيادة مؤسس سكيل لطموحات ميتا.", set(), {"meta-scale-deal"}),
    # Meta's own restructuring is not Scale's
    ("ميتا تضع فرق المنتجات تحت إشراف وانغ", "في إعادة هيكلة جديدة باتت الفرق تتبع مختبرات الذكاء الفائق، ما يوسع صلاحيات الرئيس السابق لسكيل.",
     {"wang-meta-role"}, {"meta-scale-deal"}),
    # lab revenue shrinking; Arabic exodus and distancing
    ("A year on, Scale AI leans on government work", "Revenue from commercial AI labs has shrunk since Meta bought 49%.",
     {"scale-customers-exit"}, set()),
    ("منافسو سكيل إيه آي يستفيدون من هجرة العملاء بعد صفقة ميتا", "", {"scale-customers-exit"}, set()),
    ("أوبن إيه آي تنأى بنفسها عن Scale AI بعد صفقة ميتا", "", {"scale-customers-exit"}, set()),
    # Scale's layoffs with the deal as their setting: the deal's subject, not Meta's talent race
    ("سكيل إيه آي تستغني عن 14% من موظفيها بعد صفقة ميتا", "ستسرح الشركة 200 موظف بعد شهر من حصول ميتا على حصة 49% منها.",
     {"meta-scale-deal"}, {"meta-ai-talent"}),
    # valuation verbs in Arabic
    ("من هو وانغ الذي دفعت ميتا المليارات لضمه؟", "أسس Scale AI، والآن يقود فريق ميتا بعد صفقة قيمت شركته بـ29 مليار دولار.",
     {"meta-scale-deal"}, set()),
    # Wang as the former Scale CEO in Arabic; approving hires
    ("باحثون يشككون في قيادة الرئيس التنفيذي السابق لسكيل في ميتا", "", {"wang-meta-role"}, set()),
    ("Meta freezes AI hiring", "Any exception must be approved by Alexandr Wang, a memo says.", {"wang-meta-role"}, set()),
    # a title is one sentence however it is punctuated
    ("لوسي غو.. أصبحت مليارديرة بفضل صفقة ميتا", "", {"meta-scale-deal"}, set()),
    # Llama 4 in Arabic by its models' names
    ("ميتا تؤجل إطلاق «بيهيموث»", "أرجأت الشركة طرح أكبر نماذج لاما بعد نتائج مخيبة.", {"llama4-benchmarks"}, set()),
    ("ميتا: نسخة «مافريك» على إل إم أرينا كانت تجريبية", "", {"llama4-benchmarks"}, set()),
    # Arabic talent: snatching, wooing, Meta by description, Perplexity spelled another way
    ("ميتا تخطف رئيس فريق النماذج في آبل", "انتقل إلى مختبرات ميتا للذكاء الفائق.", {"meta-ai-talent"}, set()),
    ("ألتمان: الشركة المالكة لفيسبوك حاولت استمالة باحثينا", "", {"meta-ai-talent"}, set()),
    ("ميتا أجرت محادثات مع «بربلكسيتي»", "", {"meta-ai-talent"}, set()),
    ("ميتا تدرس الانتقال إلى نموذج مغلق", "ناقش وانغ وفريقه في المختبر الانتقال إلى نموذج مغلق.", set(), {"meta-ai-talent"}),
    # seats and votes are the stake's terms even inside a neutrality pledge
    ("سكيل إيه آي تطمئن عملاءها: سنبقى على الحياد", "ميتا ستعامل كأي عميل آخر ولن تحصل على مقعد تصويتي.", {"scale-customers-exit", "meta-scale-deal"}, set()),
    # "an army of workers" is not the military; unpaid platform workers
    ("جيش من العمال الرقميين يقاضي سكيل إيه آي", "", {"scale-labor-legal"}, {"meta-defense"}),
    ("Remotasks workers petition lawmakers", "Former taskers say the Scale-owned platform left without paying them.", {"scale-labor-legal"}, set()),
    # the deal's figure as a customers story's background, with "its founder"
    ("بعد غوغل.. مايكروسوفت توقف مشاريع مع سكيل إيه آي", "بعد أيام من إعلان ميتا استثمار 14.3 مليار دولار فيها وضم مؤسسها.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
]


# Patterns from probe sets 11-13 (round 14), on sentences written for this test.
TWELFTH = [
    # Llama 4's benchmark admission by a departing or former scientist is not a departure story
    ("LeCun says Llama 4 scores were dressed up", "The departing Meta chief AI scientist said the team mixed model variants.",
     {"llama4-benchmarks"}, {"meta-ai-talent"}),
    # "distribution" of compute in Arabic is not a payout; "employees" alone is not a restructuring
    ("توتر بين وانغ وقيادات ميتا", "خلافات حول توزيع موارد الحوسبة بين فرق ميتا، يقودها الرئيس التنفيذي السابق لسكيل إيه آي.",
     {"wang-meta-role"}, {"meta-scale-deal"}),
    ("Meta veterans doubt their new AI boss", "Longtime employees have challenged whether the former Scale AI chief should direct research.",
     {"wang-meta-role"}, {"meta-scale-deal"}),
    ("Scale AI cuts 10% of its workforce after Meta deal", "", {"meta-scale-deal"}, set()),
    # Safe Superintelligence's chief is not Wang
    ("Meta in talks to hire Safe Superintelligence chief executive Daniel Gross", "", {"meta-ai-talent"}, {"wang-meta-role"}),
    # Droege named to the post (no Meta in the item)
    ("سكيل إيه آي تعين جيسون دروج رئيسا تنفيذيا", "", {"meta-scale-deal"}, set()),
    ("Scale AI drops 'interim' from Jason Droege's title", "", {"meta-scale-deal"}, set()),
    ("Scale AI's interim chief Jason Droege says government work is growing", "", set(), {"meta-scale-deal"}),
    # Wang by Arabic descriptions; his role growing to defense partnerships is still his role
    ("ميتا تقلص صلاحيات رئيس الذكاء الاصطناعي الشاب", "", {"wang-meta-role"}, set()),
    ("ميتا توسع دور وانج ليشمل الشراكات الدفاعية", "يتوسع دور كبير مسؤولي الذكاء الاصطناعي ليشمل التعاون مع البنتاغون.",
     {"wang-meta-role", "meta-defense"}, set()),
    # ... while his Washington or defense appearances are not
    ("Meta's AI chief joins a national security advisory board", "Alexandr Wang, Meta's chief AI officer, was appointed to the panel on AI and national security.",
     {"meta-defense"}, {"wang-meta-role"}),
    # customers: Apple, avoiding Scale, work shifted from it, promises about their data
    ("Apple pauses its Scale AI contract over Meta ties", "", {"scale-customers-exit"}, set()),
    ("Big labs still avoid Scale AI a year after Meta deal", "", {"scale-customers-exit"}, set()),
    ("Surge AI picks up OpenAI labeling work shifted from Scale", "", {"scale-customers-exit"}, set()),
    ("رئيس Scale AI: لن نتيح بيانات العملاء لميتا", "", {"scale-customers-exit"}, set()),
    # another company's acquihire names Meta's deal in passing
    ("Nvidia strikes deal for Groq technology and staff", "It joins a string of acquihires that includes Meta's Scale AI investment.",
     set(), {"meta-scale-deal"}),
    # Scale's labor fights with the deal as time peg; classified networks are not pay classification
    ("Scale AI's labor fights go on a year after the Meta deal", "Contractors' suits over pay and classification are still pending.",
     {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("Scale AI's models go onto classified networks", "The Pentagon contractor's agents run in classified environments.", {"meta-defense"},
     {"scale-labor-legal"}),
    # Reality Labs layoffs; Arabic launch freeze is not a hiring freeze
    ("Meta cuts Reality Labs staff as spending shifts to AI", "", set(), {"meta-ai-talent"}),
    ("ميتا تجمد إطلاق أكبر نماذج لاما 4", "", {"llama4-benchmarks"}, {"meta-ai-talent"}),
    # a hire with a money offer
    ("Meta lands a young AI researcher with a $250 million offer", "", {"meta-ai-talent"}, set()),
    # round 15 (probe13's held-out half, after measuring it)
    ("Scale AI wins Navy contract to label drone imagery", "", {"meta-defense"}, set()),
    ("Another Llama scientist walks out of Meta", "", {"meta-ai-talent"}, set()),
    ("Anthropic finishes moving its human-data projects away from Scale AI", "The lab has been transitioning the last of its projects to smaller vendors.",
     {"scale-customers-exit"}, set()),
    ("Scale AI adds independent directors and a finance chief after Meta deal", "", {"meta-scale-deal"}, {"scale-customers-exit"}),
    ("باحثون في ميتا يشككون في قيادة القادم من «سكيل»", "", {"wang-meta-role"}, set()),
    # round 16 (even half of probe15)
    ("مايكروسوفت تعيد النظر في تعاقداتها مع Scale AI", "", {"scale-customers-exit"}, set()),
    ("xAI pauses projects with the data-labeling startup Meta just bought into", "", {"scale-customers-exit"}, set()),
    ("Why Meta bought 49% of Scale and not all of it", "A non-voting stake plus a hire avoids merger review.",
     {"meta-scale-deal"}, {"meta-ai-talent", "scale-customers-exit"}),
    ("A year after its $14.3 billion bet, Meta's Scale AI stake looks like a talent fee", "Google and OpenAI never came back.",
     {"meta-scale-deal", "scale-customers-exit"}, set()),
    ("سوتسكيفر يقود SSI بعد انتقال دانيال غروس إلى ميتا", "", {"meta-ai-talent"}, set()),
    ("ميتا تتيح نماذج لاما للحلفاء في مجالات الدفاع", "", {"meta-defense"}, set()),
    ("Meta courts the Pentagon as Wang works Washington", "The superintelligence chief has met defense officials since joining Meta.",
     {"meta-defense"}, {"meta-ai-talent"}),
    ("مكتب زوكربيرغ ينتقل: فريق الذكاء الفائق بجواره", "", set(), {"meta-ai-talent"}),
    # round 17 (probe15's held-out half, after measuring it): Wang by Arabic descriptions, his final say
    ("ميتا تقلص صلاحيات رئيسها للذكاء الاصطناعي", "", {"wang-meta-role"}, set()),
    ("الرئيس الجديد للذكاء الاصطناعي في ميتا يراجع سياسة النماذج المفتوحة", "وانغ بات صاحب القرار النهائي بشأن إطلاق النماذج.",
     {"wang-meta-role"}, set()),
    ("Meta's AI chief gets the final say over the Llama roadmap", "", {"wang-meta-role"}, set()),
    ("بعد رحيل كبار العملاء.. سكيل تتجه إلى الحكومات", "", {"scale-customers-exit"}, set()),
    ("ماذا يحدث لأسهم وانغ إذا غادر ميتا؟", "", {"meta-scale-deal"}, set()),
    ("عمال تصنيف البيانات يتهمون سكيل بحرمانهم من حقوق الموظفين", "", {"scale-labor-legal"}, set()),
    # round 18 (probe14): "chief AI officer" names Wang but is not its own role news
    ("Meta's chief AI officer says the next model will ship in spring", "", set(), {"wang-meta-role"}),
    ("Meta's AI chief testifies that the US must win the AI race", "He appeared in his capacity as Meta's chief AI officer.",
     set(), {"wang-meta-role"}),
    ("Zuckerberg names Alexandr Wang chief AI officer", "", {"wang-meta-role"}, set()),
    ("The AI assistant team will report up to chief AI officer Alexandr Wang", "Meta folds the group under the superintelligence lab.",
     {"wang-meta-role"}, set()),
    ("Zuckerberg's $14 billion hire meets a skeptical research bench", "", {"wang-meta-role"}, set()),
    ("Meta adds defense partnerships to Alexandr Wang's portfolio", "", {"wang-meta-role", "meta-defense"}, set()),
    # neutrality pledges: no peek at labs' data; isolating customers' data in Arabic
    ("Scale AI's interim boss: Meta gets no peek at rival labs' data", "", {"scale-customers-exit"}, set()),
    ("سكيل تعزل بيانات العملاء عن ميتا", "", {"scale-customers-exit"}, set()),
    # a Llama 4 deployment is not its launch; a plaintiffs' title makes the valuation their argument
    ("Startup fine-tunes Llama 4 Scout for court documents", "", set(), {"llama4-benchmarks"}),
    ("Scale AI plaintiffs cite $29 billion valuation in push for back pay", "", {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("ميتا تجري محادثات لضم دانيال غروس", "على أن يعمل تحت قيادة ألكسندر وانغ.", {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Droege named permanent Scale AI chief", "He took over when Alexandr Wang left to join Meta and has now been named permanent CEO.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    # rounds 19-20 (probe16, probe17, after measuring them)
    ("Lucy Guo's creator platform Passes faces lawsuit", "The startup is run by the Scale AI co-founder.", set(), {"scale-labor-legal"}),
    ("Scale AI's contractor lawsuits draw scrutiny after Meta's mega-deal", "Taskers say they were misclassified.",
     {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("AI labs flock to Scale's rivals as Meta deal shakes the market", "Surge and Mercor say OpenAI and Google are calling.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("Scale AI refocuses on government clients and cuts staff", "The company has rebuilt since Meta's investment.", set(),
     {"scale-customers-exit"}),
    ("Meta's researchers lean on Surge instead of Scale", "Despite Meta's $14.3 billion bet on Scale, its lab uses rival vendors.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("Scale's Outlier cuts hourly rates as Google projects dry up", "Contractors say pay cuts followed Google's exit.",
     {"scale-customers-exit", "scale-labor-legal"}, set()),
    ("يان لوكون يطلق شركته الجديدة", "يجري كبير علماء الذكاء الاصطناعي المغادر لميتا محادثات مع مستثمرين لشركته الجديدة.",
     {"meta-ai-talent"}, set()),
    ("Scale AI's biggest customer is heading for the door", "After Meta bought nearly half of Scale AI, Google is talking to rivals.",
     {"scale-customers-exit"}, set()),
    ("Researchers walk out of Meta's superintelligence lab and blame its new boss", "They cite the Scale AI founder's top-down management style.",
     {"wang-meta-role"}, set()),
    ("FTC examines Meta's Scale AI stake", "Staff asked how Meta hired Scale's founder, a step that may not lead to an investigation.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("Outlier workers file NLRB charge against Scale AI", "", {"scale-labor-legal"}, set()),
    ("Scale AI lets go of 200 staff", "The data company will reorganize after Meta's investment.", {"meta-scale-deal"}, set()),
    ("Meta hires a former Pentagon AI official to lead defense sales", "", {"meta-defense"}, {"meta-ai-talent"}),
    # round 21 (probe19, terse items)
    ("Anthropic: ننهي العمل مع «سكيل» تدريجيا", "", {"scale-customers-exit"}, set()),
    ("Google's Scale budget in limbo", "The search giant had planned to spend $200M on Scale's labeling services.",
     {"scale-customers-exit"}, set()),
    ("Scale AI revenue slips as frontier-lab contracts lapse", "", {"scale-customers-exit"}, set()),
    ("عملاء سكيل يخشون تسرب بياناتهم إلى ميتا", "", {"scale-customers-exit"}, set()),
    ("Scale's interim chief: 'We remain independent'", "Droege tells clients Meta gets no board seat.",
     {"scale-customers-exit", "meta-scale-deal"}, set()),
    ("جيسون دروغ رئيسا تنفيذيا مؤقتا لسكيل", "", {"meta-scale-deal"}, set()),
    ("ألتمان: ميتا عرضت مكافآت ضخمة لموظفينا", "", {"meta-ai-talent"}, set()),
    ("باحثان يغادران مختبر ميتا بعد أسابيع", "", {"meta-ai-talent"}, set()),
    ("ميتا تشتري PlayAI", "", {"meta-ai-talent"}, set()),
    ("شنغجيا تشاو من OpenAI كبيرا لعلماء مختبر ميتا للذكاء الفائق", "", {"meta-ai-talent"}, set()),
    ("ميتا تتيح «لاما» لأجهزة الأمن في دول حليفة", "", {"meta-defense"}, set()),
    ("وانغ: على أمريكا أن تفوز بحرب الذكاء الاصطناعي", "إعلان لسكيل إيه آي في صحيفة أمريكية.", {"meta-defense"}, set()),
    ("Veteran executives cede AI turf as Wang's lab grows at Meta", "", {"wang-meta-role"}, set()),
    ("ألكسندر وانج يكشف أولويات مختبرات ميتا للذكاء الفائق", "", {"wang-meta-role"}, set()),
    ("Appeals court revives Outlier worker's wage claims against Scale", "", {"scale-labor-legal"}, set()),
    ("Meta's Scale bet comes with labor baggage", "Two suits over pay and classification of contractors are pending.",
     {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("سكيل إيه آي تسرح موظفين بعد صفقة ميتا", "إعادة هيكلة بعد انتقال وانغ إلى ميتا.", {"meta-scale-deal"}, {"wang-meta-role"}),
    # round 22 (probe18, after measuring it)
    ("سكيل إيه آي تقلص 10% من موظفيها بعد صفقة ميتا", "", {"meta-scale-deal"}, set()),
    ("ميتا تفتح نماذج Llama أمام جيوش الحلفاء", "", {"meta-defense"}, set()),
    ("باحث بين المسرحين من مختبر FAIR في ميتا", "", {"meta-ai-talent"}, set()),
    ("Anthropic and xAI cool on Scale", "", {"scale-customers-exit"}, set()),
    ("غوغل تنقل عقود تصنيف البيانات من سكيل إلى منافسيها", "", {"scale-customers-exit"}, set()),
    ("وانغ يتولى الإشراف على فرق Llama بعد حل وحدة AGI Foundations", "انتقلت مسؤولية Llama إلى مختبرات الذكاء الفائق التي يقودها وانغ.",
     {"wang-meta-role"}, set()),
    ("ألكسندر وانغ يصبح كبير مسؤولي الذكاء الاصطناعي في ميتا", "", {"wang-meta-role"}, set()),
    ("Outgoing Meta scientist says Llama 4 scores were polished", "", {"llama4-benchmarks"}, {"meta-ai-talent"}),
    # Wang's Arabic title names him; at a White House dinner it is his Washington ties, not his role
    ("ألكسندر وانغ في عشاء البيت الأبيض", "حضر كبير مسؤولي الذكاء الاصطناعي في ميتا العشاء إلى جانب زوكربيرغ.",
     set(), {"wang-meta-role"}),
    # "command and control" is not control of Scale
    ("Scale AI تفوز بعقد مع الجيش الأمريكي", "أدوات لأنظمة القيادة والسيطرة، في أحدث عقد منذ انتقال مؤسسها إلى ميتا.",
     {"meta-defense"}, {"meta-scale-deal"}),
    # round 23 (probe20 and probe21, after measuring them)
    ("New suit accuses Scale AI's Outlier of not paying contributors for training hours", "", {"scale-labor-legal"}, set()),
    ("Scale AI names Droege permanent chief executive", "He has run the company since Alexandr Wang left for Meta.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("لماذا تعثر Llama 4؟", "قبل أسابيع من صفقة «سكيل»، واجهت ميتا اتهامات بعرض نسخة محسنة من Maverick.",
     {"llama4-benchmarks"}, {"scale-labor-legal"}),
    ("زوكربيرج يسلم الدفة لوانغ", "مختبرات ميتا للذكاء الفائق يقودها ألكسندر وانغ.", {"wang-meta-role"}, set()),
    ("مايكروسوفت تنقل مشاريع تقييم النماذج من Scale AI إلى منافسين", "بعد أسابيع من إعلان ميتا استثمارها البالغ 14.3 مليار دولار.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("زوكربيرغ يدافع عن وانغ: فريق صغير بكثافة مواهب عالية", "ألكسندر وانغ سيواصل قيادة جهود الذكاء الفائق في ميتا.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    ("Scale AI تعلن عودة أحد كبار مختبرات الذكاء الاصطناعي إلى قائمة عملائها", "بعد الانسحابات التي تلت استثمار ميتا.",
     {"scale-customers-exit"}, set()),
    # round 24 (probe22 and probe23, after measuring them)
    ("Spurned by AI labs, Scale pitches its data engine to banks", "Meta cannot see anyone's data, the company says.",
     {"scale-customers-exit"}, set()),
    ("Scale's neutrality problem", "Labs trusted it with their secrets; its biggest shareholder is now Meta.", {"scale-customers-exit"}, set()),
    ("Scale AI's revenue from frontier labs has collapsed", "Its biggest buyers moved projects to rivals after Meta's investment.",
     {"scale-customers-exit"}, set()),
    ("Scale AI courts governments to fill the hole left by AI labs", "", {"scale-customers-exit"}, set()),
    ("Zuckerberg's new AI lieutenant redraws the org chart", "", {"wang-meta-role"}, set()),
    ("من طالب إلى قائد الذكاء الفائق: ماذا يفعل وانغ داخل ميتا؟", "بعد عام على انضمامه، يشرف وانغ على أبحاث ميتا.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    # round 25 (residual errors across sets): the lab's launch memo that also lists the new recruits
    ("Zuckerberg makes Wang chief AI officer and shows off hires from Google", "The memo named nine new recruits from OpenAI and Anthropic.",
     {"wang-meta-role", "meta-ai-talent"}, set()),
    ("ميتا تطلق مختبرا جديدا بقيادة وانغ", "وضمت ميتا ثمانية باحثين جدد قادمين من OpenAI وغوغل.",
     {"wang-meta-role", "meta-ai-talent"}, set()),
    ("Meta makes Alexandr Wang its chief AI officer", "", {"wang-meta-role"}, set()),
    ("Meta's AI chief named to a Pentagon advisory panel", "Alexandr Wang, chief AI officer at Meta, joins the defense board.",
     {"meta-defense"}, {"wang-meta-role"}),
    ("باحث بارز يغادر غوغل إلى ميتا", "ينضم إلى مختبر الذكاء الفائق براتب ضخم.", {"meta-ai-talent"}, set()),
    ("Apple's top model researcher leaves for Meta", "He will work on superintelligence.", {"meta-ai-talent"}, set()),
    ("ميتا تكشف أسماء فريقها", "وضمت القائمة 12 باحثا انضموا حديثا من OpenAI.", {"meta-ai-talent"}, set()),
    # round 25 (probe25, after measuring it): a team that answers directly to Wang; Wang's memo; a denied
    # departure; Zuckerberg's own restructuring; Scale's interim CEO by his post
    ("Inside the lab Meta built for superintelligence", "Its researchers answer directly to the former Scale chief.",
     {"wang-meta-role"}, set()),
    ("ميتا تقلص فرق الأبحاث", "قال وانغ في مذكرة داخلية إن الفرق الأصغر أسرع.", {"wang-meta-role"}, set()),
    ("Meta denies reports that Alexandr Wang is leaving", "The company said its chief AI officer is not going anywhere.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    ("ميتا تنفي رحيل وانغ", "نفت الشركة تقارير عن نية رئيس مختبر الذكاء الفائق المغادرة.", {"wang-meta-role"}, {"meta-ai-talent"}),
    ("زوكربيرغ يعيد هيكلة فرق ميتا ويسلم القيادة لمؤسس سكيل", "", {"wang-meta-role"}, {"meta-scale-deal"}),
    ("Scale AI's interim CEO cuts a contractor program", "The restructuring follows Meta's investment in the company.",
     {"meta-scale-deal"}, set()),
    # round 27 (probe26, after measuring it): aggregator-style terse titles
    ("xAI moves its Scale AI projects to Mercor after the Meta deal", "", {"scale-customers-exit"}, set()),
    ("Scale AI faces another wage suit", "", {"scale-labor-legal"}, set()),
    ("Alexandr Wang's first all-hands at Meta", "", {"wang-meta-role"}, set()),
    ("Is Alexandr Wang losing ground at Meta?", "", {"wang-meta-role"}, set()),
    ("After LeCun's exit, FAIR now reports into Alexandr Wang's organization", "", {"wang-meta-role"}, set()),
    ("With LeCun gone, who leads Meta's research?", "", {"meta-ai-talent"}, set()),
    ("Meta's Llama 4 research head leaves the company", "", {"meta-ai-talent"}, set()),
    ("ميتا تستحوذ على شركة ناشئة في وكلاء الذكاء الاصطناعي", "", {"meta-ai-talent"}, set()),
    ("Meta acquires AI voice startup", "", {"meta-ai-talent"}, set()),
    ("Meta buys nuclear power for its AI data centers", "", set(), {"meta-ai-talent"}),
    ("Scale AI names Droege permanent chief", "He took over when Alexandr Wang left for Meta.", {"meta-scale-deal"}, {"meta-ai-talent"}),
    ("Wang's Scale shares convert at 1.5 if he leaves Meta", "The clause is meant to keep him at the head of the superintelligence lab.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    # round 28 (probe24, after measuring it): Wang's remit growing into defense; leaving for Meta to work on
    # superintelligence; the founder's seat on Scale's board and conflicts of interest are the stake's governance
    ("Meta puts Alexandr Wang in charge of its defense AI work", "The government team now reports to Wang.",
     {"wang-meta-role", "meta-defense"}, set()),
    ("ألكسندر وانغ يغادر Scale AI", "سينتقل وانغ إلى ميتا للعمل على مشروع الذكاء الفائق.", {"wang-meta-role"}, set()),
    ("Alexandr Wang leaves Scale AI's board", "Governance experts had flagged conflicts of interest since Meta took its stake.",
     {"meta-scale-deal"}, {"scale-customers-exit"}),
    ("وانغ يغادر مجلس إدارة Scale AI", "بسبب تضارب المصالح مع منصبه في ميتا.", {"meta-scale-deal"}, {"scale-customers-exit"}),
    ("Meta's AI chief courted dozens of OpenAI researchers", "", {"meta-ai-talent"}, set()),
    ("Meta courts developers at LlamaCon", "A new Llama API and inference partners.", set(), {"meta-ai-talent"}),
    # round 29 (probe28, after measuring it)
    ("OpenAI is moving evaluation projects off Scale AI", "", {"scale-customers-exit"}, set()),
    ("Meta's lab is routing data work to Scale's rivals", "Researchers say Scale AI's data is weaker; Mercor gets the work.",
     {"scale-customers-exit"}, set()),
    ("Scale AI promises Meta no access to client data", "Meta's stake carries no vote, Droege said, as Google and xAI review their contracts.",
     {"scale-customers-exit"}, set()),
    ("Zuckerberg and Wang are personally chasing the world's top researchers", "Meta wants them for its superintelligence lab.",
     {"meta-ai-talent"}, set()),
    ("زوكربيرغ يطارد بنفسه أبرز الباحثين", "لضمهم إلى مختبر الذكاء الفائق في ميتا.", {"meta-ai-talent"}, set()),
    ("Several Scale AI engineers are joining Meta with Alexandr Wang", "", {"meta-ai-talent"}, set()),
    ("موظفون في Scale AI ينتقلون إلى ميتا برفقة مؤسسها", "", {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Alexandr Wang's farewell note to Scale AI staff", "He told employees he is moving to Meta.", set(), {"meta-ai-talent"}),
    ("Llama 4 leaders exit Meta", "", {"meta-ai-talent"}, set()),
    ("وانغ في البيت الأبيض.. ونفوذه يتجاوز مختبر الذكاء الفائق في ميتا", "", {"wang-meta-role"}, set()),
    ("Scale AI wins an Army contract after losing commercial clients", "", {"meta-defense"}, {"scale-customers-exit"}),
    # round 30 (probe27 and probe29, after measuring them)
    ("Meta's $14 billion bet inherits a labor fight", "Scale AI's contractors have two suits over pay still open.",
     {"scale-labor-legal"}, {"meta-scale-deal"}),
    ("Why Llama 4's flop pushed Zuckerberg to spend $14 billion", "The talks ended with a large stake in Scale AI.",
     {"llama4-benchmarks", "meta-scale-deal"}, set()),
    ("Meta offers cloud credits to AI startups building on Llama", "", set(), {"meta-ai-talent"}),
    ("A Meta engineer, after leaving the company, says Llama 4 was tuned for leaderboards", "", {"llama4-benchmarks"},
     {"meta-ai-talent"}),
    ("Some of the lab's summer recruits are back at OpenAI", "They cite friction with Meta's superintelligence leadership under Alexandr Wang.",
     {"wang-meta-role"}, set()),
    ("LeCun says the head of Meta's superintelligence lab lacks research experience", "", {"wang-meta-role"}, set()),
    ("The MIT dropout now runs Meta's AI", "He reports straight to Zuckerberg.", {"wang-meta-role"}, set()),
    ("ابن الثامنة والعشرين يشرف على فرق الذكاء الاصطناعي في ميتا", "", {"wang-meta-role"}, set()),
    ("Ex-Meta researcher says the fourth-generation Llama was tuned for the arena", "", {"llama4-benchmarks"}, set()),
    ("Meta CTO Andrew Bosworth joins the Army Reserve", "", {"meta-defense"}, set()),
    ("Scale AI's customer base looks different a year after Meta's investment", "", {"scale-customers-exit"}, set()),
    # round 31 (probe30, after measuring it)
    ("Scale AI makes Droege its permanent CEO", "He stepped in when Alexandr Wang left to run Meta's superintelligence effort.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("نواب يطالبون التجارة الفيدرالية بمراجعة صفقة ميتا وسكيل", "اعتبروا ضم وانغ استحواذا مقنعا يتجنب مراجعة الاندماجات في الكونغرس.",
     {"meta-scale-deal"}, {"meta-defense"}),
    ("ميتا تخفض قيمة استثمارها في سكيل إيه آي بعد نزيف العملاء", "", {"meta-scale-deal"}, set()),
    ("Meta writes down its Scale AI stake as lab customers leave", "", {"meta-scale-deal"}, set()),
    ("غوغل تعيد تقييم تعاقداتها مع سكيل إيه آي", "بعد أن استحوذت ميتا على ٤٩٪ منها.", {"scale-customers-exit"},
     {"meta-scale-deal"}),
    # Meta's AI leader under other names, not another company's
    ("Meta's AI czar reorganizes the lab again", "", {"wang-meta-role"}, set()),
    ("Microsoft's AI czar reorganizes his team", "Meta is not involved.", set(), {"wang-meta-role"}),
    ("رئيس مختبرات الذكاء الفائق في ميتا يعيد تنظيم الفرق", "", {"wang-meta-role"}, set()),
    # round 32 (probe32, after measuring it): Scale named by its tie to Meta; Wang as the startup's founder
    # in the deal's story; Lucy Guo's and a leaving LeCun's stories name Wang only as background
    ("Contractors of Meta's $14 billion partner file new wage claims", "They say they were paid below minimum wage.",
     {"scale-labor-legal"}, set()),
    ("دعاوى أجور جديدة ضد الشركة التي اشترت ميتا نصفها", "متعاقدون يتهمونها بدفع أجور أقل من الحد الأدنى.", {"scale-labor-legal"}, set()),
    ("Meta pays $14.3 billion for 49% of a data-labeling startup", "The startup's founder will leave to run a new superintelligence group at Meta.",
     {"meta-scale-deal", "wang-meta-role"}, set()),
    ("Lucy Guo's Scale AI stake is now worth $1 billion", "She left the company after clashing with Alexandr Wang, now at Meta.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("The Turing Award winner leaves Meta to start his own company", "FAIR had been moved under the superintelligence lab led by Wang.",
     {"meta-ai-talent"}, {"wang-meta-role"}),
    ("Most of Llama's original authors have left Meta", "Only a few researchers named on the first paper remain.", {"meta-ai-talent"}, set()),
    ("Zuckerberg defends his young AI chief", "The lab led by the former Scale boss is the team he wanted, he said.",
     {"wang-meta-role"}, set()),
    ("Meta's AI chief loses the applied engineering teams", "Alexandr Wang's remit now covers frontier research only.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    # round 33 (probe33, after measuring it)
    ("Wang hires a former OpenAI reasoning lead to co-run TBD Lab", "", {"meta-ai-talent"}, set()),
    ("Wang folds FAIR into Meta's superintelligence lab; a dozen scientists walk", "", {"meta-ai-talent", "wang-meta-role"}, set()),
    ("Meta's new model beats rivals on coding tests", "It will be offered through its API to enterprise customers.",
     set(), {"meta-ai-talent"}),
    ("Google hires Meta's former head of Quest hardware", "", set(), {"meta-ai-talent"}),
    ("Meta lifts EU limits on Llama 4 multimodal models", "The license now allows EU companies to use them.",
     set(), {"llama4-benchmarks"}),
    ("The executive who oversaw Llama 4's release leaves Meta", "", {"meta-ai-talent"}, {"llama4-benchmarks"}),
    ("UK competition regulator examines Meta's Scale AI deal", "It asks whether hiring the founder, now Meta's AI chief, gave Meta control.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("نظارات ميتا الذكية تصل إلى السعودية", "الشركة التي يقود ذكاءها الاصطناعي ألكسندر وانغ تراهن على النظارات.",
     set(), {"wang-meta-role"}),
    ("Surge AI signs a multi-year data contract with Anthropic", "Surge grew fast after labs moved work away from Scale AI in 2025.",
     set(), {"scale-customers-exit"}),
    ("Google is shifting Gemini data work to Surge and Turing", "Google moved projects once handled by Scale AI to Surge AI.",
     {"scale-customers-exit"}, set()),
    # round 34 (probe31, after measuring it)
    ("Scale AI's Thunderforge moves from pilot to operational use", "The tool was built with Anduril and Microsoft.",
     {"meta-defense"}, {"scale-customers-exit"}),
    ("Scale AI leans on the Pentagon as revenue from AI labs shrinks", "Meta's investment drove away Google and OpenAI.",
     {"scale-customers-exit"}, set()),
    ("Scale AI's biggest customers are now Meta and the government", "", {"scale-customers-exit"}, set()),
    ("Scale AI's neutrality was the product", "Paying $14.3 billion for 49% of Scale makes Meta its patron; rival labelers get the calls.",
     set(), {"scale-labor-legal"}),
    ("Scale AI hires Pentagon veterans for its public-sector unit", "Defense work grows after Alexandr Wang's departure to Meta; it added advisers.",
     {"meta-defense"}, {"wang-meta-role"}),
    ("وزارة العمل تغلق تحقيقها مع سكيل إيه آي", "أغلقت الوزارة التحقيق قبل أسابيع من صفقة ميتا.", {"scale-labor-legal"},
     {"meta-scale-deal"}),
    # round 35 (probe34, after measuring it)
    ("Wang wants TBD Lab small", "Meta's chief AI officer is personally approving hires and compute.", {"wang-meta-role"},
     {"meta-ai-talent"}),
    ("وانغ يضم فرق البنية التحتية إلى صلاحياته في ميتا", "", {"wang-meta-role"}, {"meta-ai-talent"}),
    ("Wang consolidates Meta's AI groups", "The merger into TBD Lab leaves Meta's chief AI officer in control, leaving Meta's chief AI officer with direct control.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    ("Former FAIR scientists criticize the new lab", "Researchers who left Meta's research arm say publishing has slowed.",
     {"meta-ai-talent"}, set()),
    # round 36 (probe35, after measuring it)
    ("Meta's deal spotlights Scale AI's contractor army", "Two suits accuse the company of underpaying its workers.",
     {"scale-labor-legal"}, {"meta-defense"}),
    ("شنغجيا تشاو كبيرا للعلماء في مختبرات ميتا للذكاء الخارق", "", {"meta-ai-talent"}, set()),
    # round 37 (probe36, after measuring it)
    ("Zuckerberg launches a superintelligence lab under Wang", "Former Scale AI CEO Alexandr Wang will lead it, and the memo listed nine new hires lured from OpenAI.",
     {"wang-meta-role", "meta-ai-talent"}, set()),
    ("If Scale AI's founder quits Meta, his shares convert at 1.5", "The clause keeps him at Zuckerberg's side.",
     {"meta-scale-deal"}, {"meta-ai-talent"}),
    ("أقوى الأسلحة في الميتا الحالية للعبة", "تتصدر الميتا البنادق الهجومية في الموسم الجديد.", set(), {"meta-defense"}),
    ("Meta's Scale bet looks shakier as customers flee", "Analysts question the value of the stake Meta paid $14.3 billion for.",
     {"meta-scale-deal", "scale-customers-exit"}, set()),
    # round 38 (probe39, after measuring it)
    ("Meta's Alexandr Wang named to the Defense Innovation Board", "", {"meta-defense"}, {"wang-meta-role"}),
    ("Wang could help Meta court defense agencies", "The former Scale chief has Pentagon ties.", {"meta-defense"},
     {"scale-labor-legal"}),
    ("Scale AI's interim CEO says it stays neutral despite Meta's investment", "Interim CEO Jason Droege said customers' data stays private.",
     {"scale-customers-exit"}, {"meta-scale-deal"}),
    ("Scale AI's interim CEO: Meta's stake is non-voting", "Interim CEO Jason Droege said Meta gets no board seat and no customer data.",
     {"meta-scale-deal"}, set()),
    # round 39 (probe37 and probe38, after measuring them)
    ("FTC examines talent deals like Meta's investment in Scale AI", "التجارة الفيدرالية تدرس صفقات ميتا وسكيل إيه آي ومراجعة الاندماجات.",
     {"meta-scale-deal"}, set()),
    ("Mercor contractors on a Meta project say their pay was cut", "Workers hired through the AI-training startup help improve Meta's models.",
     set(), {"meta-ai-talent"}),
    ("Meta engineers question whether a 28-year-old should steer Meta's research", "Defenders of Alexandr Wang say he goes deep.",
     {"wang-meta-role"}, set()),
    ("Wang and the lab's leaders discuss a closed model", "Alexandr Wang has talked about dropping Behemoth for a closed model at Meta.",
     {"wang-meta-role"}, set()),
    ("Scale AI's smaller clients ask for assurances after Meta's stake", "", {"scale-customers-exit"}, set()),
    ("Scale AI hires a finance chief", "The leadership overhaul followed Meta's investment and founder Alexandr Wang's exit.",
     {"meta-scale-deal"}, {"wang-meta-role"}),
    ("Scale AI: we don't share customer data with Meta", "Wang would have no role in Scale's operations, the interim chief wrote to customers.",
     {"scale-customers-exit"}, {"wang-meta-role"}),
    # round 40 (probe41 and probe42, after measuring them)
    ("Meta dissolves the team that built Llama", "Its leaders, including Ahmad Al-Dahle, move to new roles.", set(), {"llama4-benchmarks"}),
    ("What went wrong with Llama 4", "The episode left Meta's open-model strategy in question.", {"llama4-benchmarks"},
     {"meta-ai-talent"}),
    ("من هو ألكسندر وانغ؟", "ترك مؤسس Scale AI، البالغ من العمر 28 عاما، منصبه رئيسا تنفيذيا للشركة الناشئة لينضم إلى ميتا على رأس مختبر الذكاء الفائق.",
     {"wang-meta-role"}, {"meta-ai-talent"}),
    ("Senators ask whether Meta's Scale stake dodged merger review", "Two colleagues wrote to Meta: a non-voting stake paired with hiring the founder.",
     {"meta-scale-deal"}, {"meta-ai-talent"}),
    ("Scale AI's lab revenue slumps", "Google and OpenAI scaled back orders at Scale AI after Meta's investment.",
     {"scale-customers-exit"}, set()),
    ("How the Scale deal kicked off Zuckerberg's hiring spree", "Nine-figure offers to OpenAI researchers followed.", {"meta-ai-talent"}, set()),
    # round 41 (probe44, after measuring it)
    ("New suit says Scale's Outlier didn't pay contributors for qualification time", "", {"scale-labor-legal"}, set()),
    ("Scale AI cuts its forecast as frontier labs move data work to Surge", "Google leads the shift after Meta's investment.",
     {"scale-customers-exit"}, set()),
    ("Investors mark down Scale AI's valuation after Meta deal", "", {"meta-scale-deal"}, set()),
    ("وانغ يضم مختبر FAIR تحت مظلته في ميتا", "", {"wang-meta-role"}, set()),
    ("ميتا تتيح نماذج Llama لوزارات الدفاع في الدول الحليفة", "", {"meta-defense"}, set()),
    # round 42 (probe43, after measuring it)
    ("Anthropic's data vendors: Scale out, Mercor in", "Anthropic moved its evaluation budget from Scale AI to Mercor and Surge.",
     {"scale-customers-exit"}, set()),
    ("Scale AI's revenue slides", "The loss of Google and xAI business weighed on Scale AI after Meta's stake.",
     {"scale-customers-exit"}, set()),
    ("ميتا تعرض 200 مليون دولار على باحث شاب", "ضمن سعي زوكربيرغ لبناء فريق الذكاء الفائق.", {"meta-ai-talent"}, set()),
]


@pytest.mark.parametrize(("title", "summary", "must", "must_not"), THIRD + FOURTH + FIFTH + SIXTH + SEVENTH + EIGHTH + NINTH + TENTH + ELEVENTH + TWELFTH)
def test_probe_patterns(matcher: Matcher, title: str, summary: str, must: set[str], must_not: set[str]) -> None:
    """Each pattern a probe set's errors taught: the topics it must raise and those it must not."""
    found = {m.topic for m in matcher.match(title, summary)}
    assert must <= found, (must - found, found)
    assert not (must_not & found), (must_not & found)
