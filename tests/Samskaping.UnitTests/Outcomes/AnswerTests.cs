using Samskaping.Outcomes.Responses;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Outcomes;

public sealed class AnswerTests
{
    [Fact]
    public void An_out_of_range_answer_names_the_item()
    {
        var answers = CheckedAnswers.Check(TestInstrument.Core, [new AnswerInput("life-satisfaction", 11, null), new AnswerInput("clear-responsibility", 2, null)]);

        answers.IsValid.ShouldBeFalse();
        answers.Errors["answers.life-satisfaction"].ShouldHaveSingleItem().ShouldContain("from 0 to 10; 11 is out of range");
        answers.Errors["answers.clear-responsibility"].ShouldHaveSingleItem().ShouldContain("from 0 to 1");
    }

    [Fact]
    public void Unknown_items_duplicates_text_on_a_scale_and_numbers_on_text_are_refused()
    {
        var answers = CheckedAnswers.Check(TestInstrument.Core,
        [
            new AnswerInput("happiness", 5, null),
            new AnswerInput("mastery", 5, null),
            new AnswerInput("mastery", 6, null),
            new AnswerInput("life-satisfaction", null, "ganske bra"),
            new AnswerInput("neg-gratitude-debt-comment", 3, null),
        ]);

        answers.Errors.Keys.ShouldBe(["answers[0].itemId", "answers.mastery", "answers.life-satisfaction", "answers.neg-gratitude-debt-comment"], ignoreOrder: true);
        answers.Errors["answers[0].itemId"].ShouldHaveSingleItem().ShouldContain("'happiness' is not an item");
    }

    [Fact]
    public void Skipping_items_is_allowed_and_marks_the_response_partial()
    {
        var some = CheckedAnswers.Check(TestInstrument.Core, [new AnswerInput("life-satisfaction", 7, null)]);
        var all = CheckedAnswers.Check(TestInstrument.Core,
            [.. TestInstrument.Core.Items.Where(i => i.IsScored).Select(i => new AnswerInput(i.ItemId, i.MinValue, null))]);

        some.IsValid.ShouldBeTrue();
        some.Partial.ShouldBeTrue();
        all.IsValid.ShouldBeTrue();
        all.Partial.ShouldBeFalse();
    }

    [Fact]
    public void No_answers_at_all_is_refused()
    {
        CheckedAnswers.Check(TestInstrument.Core, []).Errors.Keys.ShouldBe(["answers"]);
        CheckedAnswers.Check(TestInstrument.Core, null).Errors.Keys.ShouldBe(["answers"]);
    }
}
