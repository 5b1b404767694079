"""Linking role spans into attributions, on real parses of small texts with
role spans placed by hand (so that the rules, not the tagger, are tested)."""

from __future__ import annotations

import pytest

from sayso.attribution.linking import CONTENT, CUE, SOURCE, link


def _roles(doc, marked):
    """Spans for (text, label) pairs, each text found left to right."""
    spans, pos = [], 0
    for text, label in marked:
        start = doc.text.index(text, pos)
        spans.append(doc.char_span(start, start + len(text), label=label))
        pos = start + len(text)
    assert all(s is not None for s in spans)
    return spans


def _summary(attributions):
    return [
        (a.cue.text, a.source.text if a.source else None, [c.text for c in a.content])
        for a in attributions
    ]


def test_touching_statements_keep_their_own_cues(nlp):
    doc = nlp(
        "Most economists agreed that the plan would raise taxes on the rich. "
        "''It adds a lot of paperwork,'' said Ms. Ortega."
    )
    roles = _roles(
        doc,
        [
            ("Most economists", SOURCE),
            ("agreed", CUE),
            ("that the plan would raise taxes on the rich.", CONTENT),
            ("''", CONTENT),
            ("It adds a lot of paperwork,''", CONTENT),
            ("said", CUE),
            ("Ms. Ortega", SOURCE),
        ],
    )
    found = _summary(link(doc, roles))
    assert found[0] == (
        "agreed",
        "Most economists",
        ["that the plan would raise taxes on the rich."],
    )
    # the opening mark, which the sentence splitter left in the sentence
    # before, joins the quote
    assert found[1] == ("said", "Ms. Ortega", ["''It adds a lot of paperwork,''"])


def test_sentence_before_a_final_reporting_clause_is_the_content(nlp):
    doc = nlp(
        "After a slow start, the new bridge has carried more traffic than planned, "
        "one county engineer said."
    )
    roles = _roles(doc, [("one county engineer", SOURCE), ("said", CUE)])
    (att,) = link(doc, roles)
    assert att.source.text == "one county engineer"
    assert [c.text for c in att.content] == [
        "After a slow start, the new bridge has carried more traffic than planned"
    ]


def test_stray_content_in_another_sentence_is_not_attached(nlp):
    doc = nlp(
        "The mayor said the budget was balanced. Critics pointed to a deficit in the pension fund."
    )
    roles = _roles(
        doc,
        [
            ("The mayor", SOURCE),
            ("said", CUE),
            ("the budget was balanced", CONTENT),
            ("a deficit in the pension fund", CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["the budget was balanced"]


def test_quote_in_the_next_paragraph_goes_to_the_colon_cue(nlp):
    doc = nlp("The senator said in a statement:\n\n“We will not accept this deal.”")
    roles = _roles(
        doc,
        [
            ("The senator", SOURCE),
            ("said", CUE),
            ("“We will not accept this deal.”", CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["“We will not accept this deal.”"]


def test_quote_after_a_long_speaker_description_stays_with_that_speaker(nlp):
    # the next paragraph's cue is fewer words away than "said", but the
    # second quote goes on the statement of the paragraph it stands in
    doc = nlp(
        '"The ferry is late every single morning," said Dana Whitfield, who has '
        "commuted across the bay from the island for most of the last eleven years. "
        '"Nobody at the port answers the phone."\n\n'
        "Port officials say the new boats arrive in spring."
    )
    roles = _roles(
        doc,
        [
            ('"The ferry is late every single morning,"', CONTENT),
            ("said", CUE),
            ("Dana Whitfield", SOURCE),
            ('"Nobody at the port answers the phone."', CONTENT),
            ("Port officials", SOURCE),
            ("say", CUE),
            ("the new boats arrive in spring", CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found[0] == (
        "said",
        "Dana Whitfield",
        ['"The ferry is late every single morning,"', '"Nobody at the port answers the phone."'],
    )
    assert found[1] == ("say", "Port officials", ["the new boats arrive in spring"])


def test_a_passive_cue_takes_no_subject_as_its_source_unless_it_raises_it(nlp):
    doc = nlp(
        "The mayor has been sharply criticized for the delays. "
        "Town engineers are said to believe that the bridge is safe."
    )
    roles = _roles(
        doc,
        [
            ("has been sharply criticized", CUE),
            ("for the delays", CONTENT),
            ("are said to believe", CUE),
            ("that the bridge is safe", CONTENT),
        ],
    )
    criticized, believe = link(doc, roles)
    # the mayor is who the criticism is about; the engineers hold the belief
    assert criticized.source is None
    assert believe.source is not None and believe.source.text == "Town engineers"


def test_the_source_of_according_to_stops_before_the_comma(nlp):
    doc = nlp("According to the city's engineers, the old bridge can carry two more years of cars.")
    roles = _roles(
        doc,
        [
            ("According to", CUE),
            ("the city's engineers,", SOURCE),
            ("the old bridge can carry two more years of cars", CONTENT),
        ],
    )
    assert _summary(link(doc, roles)) == [
        (
            "According to",
            "the city's engineers",
            ["the old bridge can carry two more years of cars"],
        )
    ]


def test_according_to_takes_its_whole_clause_with_the_attribution_inside(nlp):
    doc = nlp("According to the agency, the mayor said the bridge would reopen in May.")
    roles = _roles(
        doc,
        [
            ("According to", CUE),
            ("the agency", SOURCE),
            ("the mayor", SOURCE),
            ("said", CUE),
            ("the bridge would reopen in May", CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found == [
        ("According to", "the agency", ["the mayor said the bridge would reopen in May"]),
        ("said", "the mayor", ["the bridge would reopen in May"]),
    ]


@pytest.mark.parametrize(
    "text, content",
    [
        # less the "And" that ties it to the text before
        (
            "The mill made paper for a century.\n"
            "And the plant will close in June, according to two workers.",
            "the plant will close in June",
        ),
        # the parser runs this sentence over the line break (no space before
        # it), the content stays in the paragraph of the cue
        (
            "She said it was \u201cwhere we came from.\u201d\u00a0\n"
            "As it stands, the plant will close in June, according to two workers.",
            "As it stands, the plant will close in June",
        ),
    ],
)
def test_according_to_at_the_end_takes_the_clause_before_it(nlp, text, content):
    doc = nlp(text)
    roles = _roles(doc, [("according to", CUE), ("two workers", SOURCE)])
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == [content]


def test_a_quote_after_another_statement_goes_to_the_cue_of_its_sentence(nlp):
    doc = nlp(
        "Ana Ruiz, the minister, argues there is little point in answering now. "
        "''We must not overreact to campaign talk,'' she told me."
    )
    roles = _roles(
        doc,
        [
            ("Ana Ruiz", SOURCE),
            ("argues", CUE),
            ("there is little point in answering now.", CONTENT),
            ("''We must not overreact to campaign talk,''", CONTENT),
            ("she", SOURCE),
            ("told", CUE),
        ],
    )
    assert _summary(link(doc, roles)) == [
        ("argues", "Ana Ruiz", ["there is little point in answering now."]),
        ("told", "she", ["''We must not overreact to campaign talk,''"]),
    ]


def test_a_tagged_subject_of_a_passive_cue_is_part_of_the_statement(nlp):
    doc = nlp(
        "The harbour master has been blamed for the closure of the ferry. "
        "The new timetable is backed by most of the island councillors."
    )
    roles = _roles(
        doc,
        [
            ("The harbour master", SOURCE),
            ("has been blamed", CUE),
            ("for the closure of the ferry", CONTENT),
            ("The new timetable", SOURCE),
            ("is backed", CUE),
            ("by most of the island councillors", CONTENT),
        ],
    )
    blamed, backed = _summary(link(doc, roles))
    # whom the blame is about is what is said, and nobody in the text says it
    assert blamed == (
        "has been blamed",
        None,
        ["The harbour master", "for the closure of the ferry"],
    )
    # the "by" phrase names who holds the view
    assert backed == ("is backed", "most of the island councillors", ["The new timetable"])


def test_a_passive_cue_whose_subject_is_said_takes_no_source_from_its_sentence(nlp):
    doc = nlp("The ferry closure is expected to last until May while the island council meets.")
    roles = _roles(
        doc,
        [
            ("The ferry closure", CONTENT),
            ("is expected", CUE),
            ("to last until May", CONTENT),
            ("the island council", SOURCE),
        ],
    )
    (att,) = link(doc, roles)
    assert att.source is None
    assert [c.text for c in att.content] == ["The ferry closure", "to last until May"]


@pytest.mark.parametrize(
    ("text", "cue", "content", "source"),
    [
        (
            "The mayor visited the harbour and promised that the ferry would return.",
            "promised",
            "that the ferry would return",
            "The mayor",
        ),
        (
            "The harbour master, in particular, praised the crew and called for a new ferry.",
            "called for",
            "a new ferry",
            "The harbour master",
        ),
    ],
)
def test_a_joined_verb_without_a_subject_takes_the_first_verbs(nlp, text, cue, content, source):
    doc = nlp(text)
    (att,) = link(doc, _roles(doc, [(cue, CUE), (content, CONTENT)]))
    assert att.source is not None and att.source.text == source


def test_a_passive_cue_takes_a_source_only_from_its_subject_or_by_phrase(nlp):
    doc = nlp(
        "The ferry crews are known to avoid the north channel, but the island council "
        "has said little about it. The mayor's plan is intended to cut the fares."
    )
    roles = _roles(
        doc,
        [
            ("are known", CUE),
            ("to avoid the north channel", CONTENT),
            ("the island council", SOURCE),
            ("has said", CUE),
            ("little about it", CONTENT),
            ("The mayor's", SOURCE),
            ("is intended", CUE),
            ("to cut the fares", CONTENT),
        ],
    )
    known, said, intended = _summary(link(doc, roles))
    # the council says nothing of what the crews are known to do
    assert known[:2] == ("are known", None)
    assert said[:2] == ("has said", "the island council")
    # whose plan it is stays the source
    assert intended[:2] == ("is intended", "The mayor's")


def test_the_subject_of_a_passive_cue_that_goes_on_in_a_verb_speaks(nlp):
    doc = nlp("The ferry captain can be heard shouting that the ramp is blocked.")
    roles = _roles(
        doc,
        [
            ("The ferry captain", SOURCE),
            ("can be heard shouting", CUE),
            ("that the ramp is blocked", CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert att.source.text == "The ferry captain"


def test_a_passive_cue_with_a_clause_takes_its_subject_as_source(nlp):
    doc = nlp("Local farmers were frustrated that the council raised the price of water.")
    roles = _roles(
        doc, [("were frustrated", CUE), ("that the council raised the price of water", CONTENT)]
    )
    (att,) = link(doc, roles)
    assert att.source.text == "Local farmers"


def test_it_is_not_the_source_of_a_passive_cue(nlp):
    doc = nlp("It was reported that the council raised the price of water.")
    roles = _roles(
        doc, [("was reported", CUE), ("that the council raised the price of water", CONTENT)]
    )
    (att,) = link(doc, roles)
    assert att.source is None


@pytest.mark.parametrize("tagged", [False, True])
def test_what_seems_so_is_not_a_source(nlp, tagged):
    doc = nlp("The new mayor seems to have left the city for good.")
    marked = [("seems", CUE), ("to have left the city for good", CONTENT)]
    roles = _roles(doc, ([("The new mayor", SOURCE)] if tagged else []) + marked)
    (att,) = link(doc, roles)
    assert att.source is None
    # what seems so is part of the statement
    assert [c.text for c in att.content] == ["The new mayor", "to have left the city for good"]


def test_a_dummy_it_is_not_what_seems_so(nlp):
    doc = nlp("It appears the council will not meet again this year.")
    roles = _roles(doc, [("appears", CUE), ("the council will not meet again this year", CONTENT)])
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["the council will not meet again this year"]


def test_a_sentence_of_only_speaker_and_cue_takes_the_quote_before_it(nlp):
    # the sentence splitter cuts after the question mark inside the quote
    doc = nlp(
        "The council met on Monday. “Why should the library close before the pool?” "
        "Ms. Ortega asked."
    )
    roles = _roles(doc, [("Ms. Ortega", SOURCE), ("asked", CUE)])
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["“Why should the library close before the pool?”"]


def test_a_final_reporting_clause_takes_its_statement_from_a_nested_cue(nlp):
    # the tagger saw a cue inside the statement and gave the content to it
    doc = nlp(
        "The mayor will visit the flooded towns on Monday, where she hopes to meet "
        "the families, an aide said."
    )
    roles = _roles(
        doc,
        [
            ("she", SOURCE),
            ("hopes", CUE),
            ("to meet the families", CONTENT),
            ("an aide", SOURCE),
            ("said", CUE),
        ],
    )
    found = {cue: (source, content) for cue, source, content in _summary(link(doc, roles))}
    assert found["said"] == (
        "an aide",
        ["The mayor will visit the flooded towns on Monday, where she hopes to meet the families"],
    )
    # left with no content inside the aide's statement, "hopes" says nothing
    assert "hopes" not in found


def test_a_cue_keeps_the_quote_right_after_it(nlp):
    doc = nlp("The ad shows the mayor asking, “Why is the pool still closed?”")
    roles = _roles(
        doc,
        [
            ("The ad", SOURCE),
            ("shows", CUE),
            ("the mayor", CONTENT),
            ("asking", CUE),
            ("“Why is the pool still closed?”", CONTENT),
        ],
    )
    found = {cue: content for cue, _, content in _summary(link(doc, roles))}
    assert found == {"shows": ["the mayor"], "asking": ["“Why is the pool still closed?”"]}


def test_a_final_reporting_clause_takes_the_quote_that_opens_its_sentence(nlp):
    doc = nlp("“I think the pool should stay open all summer,” the mayor concluded.")
    roles = _roles(
        doc,
        [
            ("I", SOURCE),
            ("think", CUE),
            ("the pool should stay open all summer", CONTENT),
            ("the mayor", SOURCE),
            ("concluded", CUE),
        ],
    )
    found = {cue: content for cue, _, content in _summary(link(doc, roles))}
    assert found["concluded"] == ["“I think the pool should stay open all summer,”"]
    assert "think" not in found


def test_of_two_tagged_subjects_the_one_next_to_the_cue_is_the_source(nlp):
    # the parse makes both "The bridge" and "Ms. Ortega" subjects of "said"
    doc = nlp("The bridge, Ms. Ortega said, carried more trucks than cars last year.")
    roles = _roles(
        doc,
        [
            ("The bridge", SOURCE),
            ("Ms. Ortega", SOURCE),
            ("said", CUE),
            ("carried more trucks than cars last year", CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert att.source.text == "Ms. Ortega"


def test_a_question_that_opens_the_sentence_has_no_source(nlp):
    doc = nlp("Asked about the closure, Ms. Ortega said the pool would reopen in June.")
    roles = _roles(
        doc,
        [
            ("Asked about", CUE),
            ("the closure", CONTENT),
            ("Ms. Ortega", SOURCE),
            ("said", CUE),
            ("the pool would reopen in June.", CONTENT),
        ],
    )
    found = {cue: source for cue, source, _ in _summary(link(doc, roles))}
    assert found == {"Asked about": None, "said": "Ms. Ortega"}


def test_a_final_reporting_clause_takes_the_whole_clause_its_content_lies_in(nlp):
    # the tagger cut the statement short
    doc = nlp("After the vote, the council will keep the pool open all summer, a spokeswoman said.")
    roles = _roles(
        doc,
        [
            ("the council will keep the pool open", CONTENT),
            ("a spokeswoman", SOURCE),
            ("said", CUE),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == [
        "After the vote, the council will keep the pool open all summer"
    ]


def test_a_quote_closed_at_its_paragraph_end_stays_off_the_next_paragraphs_cue(nlp):
    # the closing mark ends the first speaker's quote: the next paragraph's
    # quote, with a cue of its own, does not carry it along
    doc = nlp(
        "“Who pays for the new pier?” the mayor asked. “Not the town. "
        "Not this year.”\n\n"
        "“The harbor fund will cover it,” the treasurer replied. “It has the money.”"
    )
    roles = _roles(
        doc,
        [
            ("“Who pays for the new pier?”", CONTENT),
            ("the mayor", SOURCE),
            ("asked", CUE),
            ("“Not the town.", CONTENT),
            ("Not this year.”", CONTENT),
            ("“The harbor fund will cover it,”", CONTENT),
            ("the treasurer", SOURCE),
            ("replied", CUE),
            ("“It has the money.”", CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found[0] == (
        "asked",
        "the mayor",
        ["“Who pays for the new pier?”", "“Not the town. Not this year.”"],
    )
    assert found[1] == (
        "replied",
        "the treasurer",
        ["“The harbor fund will cover it,”", "“It has the money.”"],
    )


def test_a_quote_goes_on_the_statement_of_the_quote_before_it(nlp):
    # "summing up" is nearer, but the quote continues what Ms. Okafor said
    doc = nlp(
        '"We found the leak within a day," said Ms. Okafor, summing up the repairs '
        'of the last week. "The pipes will hold until spring."'
    )
    roles = _roles(
        doc,
        [
            ('"We found the leak within a day,"', CONTENT),
            ("said", CUE),
            ("Ms. Okafor", SOURCE),
            ("summing up", CUE),
            ("the repairs of the last week", CONTENT),
            ('"The pipes will hold until spring."', CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found[0] == (
        "said",
        "Ms. Okafor",
        ['"We found the leak within a day,"', '"The pipes will hold until spring."'],
    )
    assert found[1][2] == ["the repairs of the last week"]


def test_a_final_reporting_clause_with_an_object_takes_the_clause_before_it(nlp):
    # "is seeking" was tagged as a cue with content of its own; the statement
    # is what the rangers told Reuters, and the nested cue goes with it
    doc = nlp(
        "The park service is seeking to close the northern trail before the snow "
        "arrives, two rangers told Reuters."
    )
    roles = _roles(
        doc,
        [
            ("is seeking", CUE),
            ("to close the northern trail before the snow arrives", CONTENT),
            ("two rangers", SOURCE),
            ("told", CUE),
        ],
    )
    found = _summary(link(doc, roles))
    assert found == [
        (
            "told",
            "two rangers",
            ["The park service is seeking to close the northern trail before the snow arrives"],
        )
    ]


def test_a_statement_interrupted_by_its_reporting_clause_keeps_its_head(nlp):
    # the content goes on after "the engineer said", and began before it:
    # from the last comma, less the "and"
    doc = nlp(
        "After the storm the road reopened, and the old bridge, the engineer said, "
        "will need new bearings before winter."
    )
    roles = _roles(
        doc,
        [
            ("the engineer", SOURCE),
            ("said", CUE),
            ("will need new bearings before winter", CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found == [
        ("said", "the engineer", ["the old bridge", "will need new bearings before winter"])
    ]


def test_an_interrupting_reporting_clause_may_have_more_words(nlp):
    doc = nlp("The old bridge, the engineer said on Monday, will need new bearings.")
    roles = _roles(
        doc,
        [("the engineer", SOURCE), ("said", CUE), ("will need new bearings", CONTENT)],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["The old bridge", "will need new bearings"]


def test_a_final_reporting_clause_takes_the_clause_before_its_quote_too(nlp):
    # the quote after "says Dr. Ruiz." was tagged; the clause before, which
    # closes a quote inside its sentence, is hers as well
    doc = nlp(
        'The new clinics are "far too slow to open," says Dr. Ruiz. '
        '"We wait months for each permit."'
    )
    roles = _roles(
        doc,
        [
            ("says", CUE),
            ("Dr. Ruiz", SOURCE),
            ('"We wait months for each permit."', CONTENT),
        ],
    )
    found = _summary(link(doc, roles))
    assert found == [
        (
            "says",
            "Dr. Ruiz",
            [
                'The new clinics are "far too slow to open,"',
                '"We wait months for each permit."',
            ],
        )
    ]


@pytest.mark.parametrize(
    "text, marked, content",
    [
        (
            'The mayor set a goal of "a park in every street." The council agreed.',
            [("set", CUE), ('a goal of "a park in every street.', CONTENT)],
            'a goal of "a park in every street."',
        ),
        (
            "The plan ''is a misguided approach,'' said Mr. Okafor.",
            [("The plan ''is a misguided approach", CONTENT), ("said", CUE)],
            "The plan ''is a misguided approach,''",
        ),
    ],
)
def test_content_takes_the_mark_that_closes_its_quote(nlp, text, marked, content):
    doc = nlp(text)
    (att,) = link(doc, _roles(doc, marked))
    assert [c.text for c in att.content] == [content]


@pytest.mark.parametrize(
    "text, cue, tagged, content",
    [
        (
            "The minister condemned the latest test and pledged new sanctions.",
            "condemned",
            "the latest test and",
            "the latest test",
        ),
        (
            "Voters (the poll found that most want a recount) are divided.",
            "found",
            "that most want a recount)",
            "that most want a recount",
        ),
    ],
)
def test_content_does_not_end_on_a_dangling_word(nlp, text, cue, tagged, content):
    doc = nlp(text)
    (att,) = link(doc, _roles(doc, [(cue, CUE), (tagged, CONTENT)]))
    assert [c.text for c in att.content] == [content]


def test_a_final_reporting_clause_takes_a_quote_whose_opening_mark_the_splitter_moved(nlp):
    # the sentence splitter leaves the opening '' at the end of the sentence
    # before; "told me" still ends a reporting clause, and the quote is hers
    doc = nlp("The ferry costs more every year. ''We cannot pay these fares,'' she told me.")
    roles = _roles(doc, [("she", SOURCE), ("told", CUE)])
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["''We cannot pay these fares,''"]


def test_the_cue_subject_tagged_as_content_is_its_source(nlp):
    doc = nlp("The governor wants to close two prisons by next spring.")
    roles = _roles(
        doc,
        [
            ("The governor", CONTENT),
            ("wants", CUE),
            ("to close two prisons by next spring", CONTENT),
        ],
    )
    assert _summary(link(doc, roles)) == [
        ("wants", "The governor", ["to close two prisons by next spring"])
    ]


def test_pieces_with_only_punctuation_between_are_one(nlp):
    # the tagger left out the mark between the two quoted sentences
    doc = nlp("“We were told, ‘Wait for spring.’ We waited two years,” the farmer said.")
    roles = _roles(
        doc,
        [
            ("“We were told, ‘Wait for spring.", CONTENT),
            ("We waited two years,”", CONTENT),
            ("the farmer", SOURCE),
            ("said", CUE),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == [
        "“We were told, ‘Wait for spring.’ We waited two years,”"
    ]


def test_a_closing_mark_tagged_on_its_own_is_not_content_twice(nlp):
    # the piece before takes the closing mark; the tagger also gave the mark a
    # piece of its own (after the splitter's cut): one piece, no overlap
    doc = nlp('Ms. Ruiz said the ferry must run "every hour of the day." It does not.')
    roles = _roles(
        doc,
        [
            ("Ms. Ruiz", SOURCE),
            ("said", CUE),
            ('the ferry must run "every hour of the day.', CONTENT),
            ('"', CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ['the ferry must run "every hour of the day."']


def test_the_words_after_a_mark_tagged_alone_stay_in_the_quote(nlp):
    # the splitter starts a sentence at "..." and the tagger marks it alone;
    # the rest of that sentence still belongs to the quote
    doc = nlp('"We will not sell the farm," Ms. Ortiz said. "We never did. ... We never will."')
    roles = _roles(
        doc,
        [
            ('"We will not sell the farm,"', CONTENT),
            ("Ms. Ortiz", SOURCE),
            ("said", CUE),
            ('"We never did.', CONTENT),
            ("...", CONTENT),
            ('We never will."', CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == [
        '"We will not sell the farm,"',
        '"We never did. ... We never will."',
    ]


def test_a_piece_before_but_is_not_what_the_speaker_after_it_said(nlp):
    # the tagger marked words of the first clause as content; the mayor's
    # statement is only what follows "but the mayor said"
    doc = nlp("The ad was a clear jab at the governor, but the mayor said she meant the council.")
    roles = _roles(
        doc,
        [
            ("the governor", CONTENT),
            ("the mayor", SOURCE),
            ("said", CUE),
            ("she meant the council", CONTENT),
        ],
    )
    assert _summary(link(doc, roles)) == [("said", "the mayor", ["she meant the council"])]


def test_a_quote_goes_on_over_a_mark_the_tagger_left_out(nlp):
    # the single mark that closes the inner quote is in no piece: the words
    # after it still belong to the quote, which has no cue of its own
    doc = nlp('"We tried," the farmer recalled. "They told us, \'Wait.\' We waited."')
    roles = _roles(
        doc,
        [
            ('"We tried,"', CONTENT),
            ("the farmer", SOURCE),
            ("recalled", CUE),
            ("\"They told us, 'Wait.", CONTENT),
            ('We waited."', CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == [
        '"We tried,"',
        "\"They told us, 'Wait.' We waited.\"",
    ]


def test_what_seems_so_takes_no_source_from_elsewhere_in_its_sentence(nlp):
    # "Mr. Lee" is no source of "seems": only the tree could give it one
    doc = nlp("Mr. Lee asked why the new plan seems so costly to the town.")
    roles = _roles(
        doc,
        [("Mr. Lee", SOURCE), ("seems", CUE), ("so costly to the town", CONTENT)],
    )
    ((cue, source, _),) = _summary(link(doc, roles))
    assert (cue, source) == ("seems", None)


def test_a_stray_quote_mark_is_not_content(nlp):
    # the mark closes someone else's quote, away from what the mayor said
    doc = nlp("The crowd shouted “no more tolls” all night. The mayor said the tolls would stay.")
    roles = _roles(
        doc,
        [
            ("”", CONTENT),
            ("The mayor", SOURCE),
            ("said", CUE),
            ("the tolls would stay", CONTENT),
        ],
    )
    (att,) = link(doc, roles)
    assert [c.text for c in att.content] == ["the tolls would stay"]


def test_a_clause_of_its_own_is_no_interrupting_reporting_clause(nlp):
    # "the senator attacked the plan ..., saying," is a clause of its own:
    # what comes before it is not part of the statement
    doc = nlp(
        "During the debate, the senator attacked the plan for its cost, saying, "
        "it would ruin the town."
    )
    roles = _roles(
        doc,
        [("the senator", SOURCE), ("saying", CUE), ("it would ruin the town", CONTENT)],
    )
    (att,) = [a for a in link(doc, roles) if a.cue.text == "saying"]
    assert [c.text for c in att.content] == ["it would ruin the town"]
