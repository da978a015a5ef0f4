#include "mime/quoted_history.hpp"

#include <gtest/gtest.h>

using redress::mime::QuotedHistory;

TEST(QuotedHistory, RecognisesAttributionsInSeveralLanguages)
{
    EXPECT_TRUE(QuotedHistory::is_attribution("On Tue, 3 Mar 2026 at 10:15, Support <support@shop.example> wrote:"));
    EXPECT_TRUE(QuotedHistory::is_attribution("-----Original Message-----"));
    EXPECT_TRUE(QuotedHistory::is_attribution("3 марта 2026 г., в 10:15, Служба <s@shop.example> написал(а):"));
    EXPECT_TRUE(
        QuotedHistory::is_attribution("Em ter., 3 de mar. de 2026 às 10:15, Suporte <s@shop.example> escreveu:"));
    EXPECT_TRUE(QuotedHistory::is_attribution("Am 03.03.2026 um 10:15 schrieb Support <s@shop.example>:"));
    EXPECT_TRUE(QuotedHistory::is_attribution("El mar, 3 mar 2026 a las 10:15, Soporte (<s@shop.example>) escribió:"));
    EXPECT_FALSE(QuotedHistory::is_attribution("As I wrote:"));
    EXPECT_FALSE(QuotedHistory::is_attribution("The courier was rude."));
}

TEST(QuotedHistory, SplitsTopPostedReplyWithWrappedAttribution)
{
    auto s = QuotedHistory::split("Thanks, but it is still broken.\n\nOn Tue, 3 Mar 2026 at 10:15, Support Team "
                                  "<\nsupport@shop.example> wrote:\n> old\n");
    EXPECT_EQ(s.text, "Thanks, but it is still broken.");
    EXPECT_EQ(s.quoted, "On Tue, 3 Mar 2026 at 10:15, Support Team <\nsupport@shop.example> wrote:\n> old");
}

TEST(QuotedHistory, KeepsAnswersOfInterleavedReply)
{
    auto s = QuotedHistory::split("> Did you get the parcel?\nNo, never.\n> Was it damaged?\nIt never came.\n");
    EXPECT_EQ(s.text, "No, never.\nIt never came.");
    EXPECT_EQ(s.quoted, "> Did you get the parcel?\n> Was it damaged?");
}

TEST(QuotedHistory, OutlookHeaderBlockOpensHistory)
{
    auto s = QuotedHistory::split("Please call me.\n\nFrom: Support <s@shop.example>\nSent: Tuesday, March 3, 2026 "
                                  "10:15\nTo: me\nSubject: RE: x\n\nold text\n");
    EXPECT_EQ(s.text, "Please call me.");
    EXPECT_EQ(s.quoted.substr(0, 5), "From:");
}

TEST(QuotedHistory, SignatureAfterDashDashSpace)
{
    auto s = QuotedHistory::split("Refund please.\n-- \nAnna\nphone 123\n");
    EXPECT_EQ(s.text, "Refund please.");
    EXPECT_EQ(s.signature, "Anna\nphone 123");
    EXPECT_EQ(s.quoted, "");
}
