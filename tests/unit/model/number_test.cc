// Expected values come from DynamoDB Local (PutItem then GetItem, UpdateItem ADD).
#include "model/number.h"

#include <gtest/gtest.h>

#include <string>

namespace dunlin::model {
namespace {

std::string Canonical(std::string_view text) {
  auto number = Number::Parse(text);
  if (!number.ok()) return "error " + std::to_string(static_cast<int>(number.error()));
  return number->ToString();
}

NumberError ParseError(std::string_view text) {
  auto number = Number::Parse(text);
  EXPECT_FALSE(number.ok()) << text;
  return number.ok() ? NumberError::kNotANumber : number.error();
}

Number N(std::string_view text) {
  auto number = Number::Parse(text);
  EXPECT_TRUE(number.ok()) << text;
  return number.ok() ? std::move(number).value() : Number();
}

std::string Sum(std::string_view a, std::string_view b) {
  auto sum = N(a).Add(N(b));
  if (!sum.ok()) return NumberErrorMessage(sum.error(), "");
  return sum->ToString();
}

std::string Difference(std::string_view a, std::string_view b) {
  auto difference = N(a).Subtract(N(b));
  if (!difference.ok()) return NumberErrorMessage(difference.error(), "");
  return difference->ToString();
}

TEST(NumberParseTest, AcceptsDynamoDbSyntax) {
  EXPECT_EQ(Canonical("+5"), "5");
  EXPECT_EQ(Canonical("-5"), "-5");
  EXPECT_EQ(Canonical(".5"), "0.5");
  EXPECT_EQ(Canonical("-.5"), "-0.5");
  EXPECT_EQ(Canonical("5."), "5");
  EXPECT_EQ(Canonical("1e5"), "100000");
  EXPECT_EQ(Canonical("1E5"), "100000");
  EXPECT_EQ(Canonical("1e+5"), "100000");
  EXPECT_EQ(Canonical("1e-5"), "0.00001");
  EXPECT_EQ(Canonical("1e0005"), "100000");
  EXPECT_EQ(Canonical("1E-0"), "1");
  EXPECT_EQ(Canonical("1.23456789e3"), "1234.56789");
  EXPECT_EQ(Canonical("1.5e1"), "15");
}

TEST(NumberParseTest, CanonicalFormIsPlainNotation) {
  EXPECT_EQ(Canonical("1E20"), "100000000000000000000");
  EXPECT_EQ(Canonical("1E-20"), "0.00000000000000000001");
  EXPECT_EQ(Canonical("1.0E2"), "100");
  EXPECT_EQ(Canonical("00012.3400"), "12.34");
  EXPECT_EQ(Canonical("0.000001230000"), "0.00000123");
  EXPECT_EQ(Canonical("000000000000000000000000000000000000000000000000001"), "1");
  EXPECT_EQ(Canonical("12.5"), "12.5");
  EXPECT_EQ(Canonical("-12.5"), "-12.5");
}

TEST(NumberParseTest, ZeroHasNoSign) {
  for (std::string_view text :
       {"0", "-0", "+0", "0.0", "-0.0", "00", "-00.000", "0e5", "0E-200", "0e2147483647"}) {
    auto number = Number::Parse(text);
    ASSERT_TRUE(number.ok()) << text;
    EXPECT_TRUE(number->is_zero()) << text;
    EXPECT_FALSE(number->is_negative()) << text;
    EXPECT_EQ(number->ToString(), "0") << text;
    EXPECT_EQ(*number, Number()) << text;
  }
}

TEST(NumberParseTest, RejectsWhatDynamoDbRejects) {
  for (std::string_view text :
       {" 1", "1 ", "",    "0x10", "0x",    "NaN",   "Infinity", "-Infinity", "inf",
        "-",  "+",  "e5",  "1e",   "1e+",   "1.2.3", "1,5",      "1_000",     "1d",
        "1f", "1L", "--1", "+-1",  "1e--1", ".e1",   ".",        "1e1.5",     "\t1"}) {
    EXPECT_EQ(ParseError(text), NumberError::kNotANumber) << "'" << text << "'";
  }
}

TEST(NumberParseTest, ExponentAndScaleMustFit32Bits) {
  EXPECT_EQ(ParseError("1e2147483648"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("1e-2147483648"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("0e2147483648"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("0e-2147483648"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("1e9999999999"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("1e999999999999999999999999"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("0.00e-2147483647"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("0.1e-2147483647"), NumberError::kNotANumber);
  EXPECT_EQ(ParseError("1.5e-2147483648"), NumberError::kNotANumber);
  // In range for 32 bits, out of DynamoDB's range; the second wraps like DynamoDB's check.
  EXPECT_EQ(ParseError("1e2147483647"), NumberError::kOverflow);
  EXPECT_EQ(ParseError("10e2147483647"), NumberError::kUnderflow);
}

TEST(NumberParseTest, SignificantDigitsLimit) {
  EXPECT_EQ(Canonical("12345678901234567890123456789012345678"),
            "12345678901234567890123456789012345678");
  EXPECT_EQ(ParseError("123456789012345678901234567890123456789"), NumberError::kTooManyDigits);
  EXPECT_EQ(ParseError("1.00000000000000000000000000000000000001"), NumberError::kTooManyDigits);
  EXPECT_EQ(ParseError("10000000000000000000000000000000000000.1"), NumberError::kTooManyDigits);
  // Trailing and leading zeros are not significant.
  EXPECT_EQ(Canonical("1" + std::string(38, '0')), "1" + std::string(38, '0'));
  EXPECT_EQ(Canonical("1" + std::string(40, '0')), "1" + std::string(40, '0'));
  EXPECT_EQ(Canonical("0." + std::string(40, '0') + std::string(38, '1')),
            "0." + std::string(40, '0') + std::string(38, '1'));
  // The digit limit is checked before the range.
  EXPECT_EQ(ParseError("123456789012345678901234567890123456789e200"), NumberError::kTooManyDigits);
  EXPECT_EQ(ParseError("123456789012345678901234567890123456789e-200"),
            NumberError::kTooManyDigits);
}

TEST(NumberParseTest, RangeLimits) {
  EXPECT_EQ(Canonical("1E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Canonical("0.1E-129"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Canonical("0.99E-129"), "0." + std::string(129, '0') + "99");
  EXPECT_EQ(ParseError("1E-131"), NumberError::kUnderflow);
  EXPECT_EQ(ParseError("0." + std::string(130, '0') + "1"), NumberError::kUnderflow);
  EXPECT_EQ(ParseError("-1E-131"), NumberError::kUnderflow);
  EXPECT_EQ(Canonical("9.9999999999999999999999999999999999999E+125"),
            std::string(38, '9') + std::string(88, '0'));
  EXPECT_EQ(Canonical("1E125"), "1" + std::string(125, '0'));
  EXPECT_EQ(ParseError("1E126"), NumberError::kOverflow);
  EXPECT_EQ(ParseError("1E+126"), NumberError::kOverflow);
  EXPECT_EQ(ParseError("-1E126"), NumberError::kOverflow);
  EXPECT_EQ(ParseError("1" + std::string(126, '0')), NumberError::kOverflow);
  EXPECT_EQ(ParseError(std::string(38, '9') + "e89"), NumberError::kOverflow);
  EXPECT_EQ(Canonical("-" + std::string(38, '9') + "e88"),
            "-" + std::string(38, '9') + std::string(88, '0'));
}

TEST(NumberParseTest, Parts) {
  Number n = N("-0.00123400");
  EXPECT_TRUE(n.is_negative());
  EXPECT_EQ(n.digits(), "1234");
  EXPECT_EQ(n.exponent(), -2);
  Number m = N("1234.5");
  EXPECT_EQ(m.digits(), "12345");
  EXPECT_EQ(m.exponent(), 4);
  Number zero;
  EXPECT_TRUE(zero.digits().empty());
  EXPECT_EQ(zero.exponent(), 0);
}

TEST(NumberParseTest, ScientificFormOfParts) {
  Number n = N("0.12345E-127");
  EXPECT_EQ(n.digits(), "12345");
  EXPECT_EQ(n.exponent(), -127);
}

TEST(NumberTest, FromCanonicalPartsEqualsParsed) {
  // storage/number_parts.cc rebuilds stored numbers this way.
  EXPECT_EQ(Number::FromCanonicalParts(false, "12345", -127), N("0.12345E-127"));
  EXPECT_EQ(Number::FromCanonicalParts(true, "125", 2), N("-12.5"));
  EXPECT_EQ(Number::FromCanonicalParts(false, "1", 4), N("1000"));
  EXPECT_EQ(Number::FromCanonicalParts(false, "", 0), Number());
  EXPECT_EQ(Number::FromCanonicalParts(false, std::string(38, '9'), kMaxNumberExponent),
            N(std::string(38, '9') + "E88"));
  EXPECT_EQ(Number::FromCanonicalParts(true, "1", kMinNumberExponent), N("-1E-130"));
  EXPECT_EQ(Number::FromCanonicalParts(true, "125", 2).ToString(), "-12.5");
  EXPECT_EQ(Number::FromCanonicalParts(false, "5", 0).Compare(N("0.4")), 1);
}

TEST(NumberTest, FromInt64) {
  EXPECT_EQ(Number::FromInt64(0).ToString(), "0");
  EXPECT_EQ(Number::FromInt64(100).ToString(), "100");
  EXPECT_EQ(Number::FromInt64(100), N("1E2"));
  EXPECT_EQ(Number::FromInt64(-42).ToString(), "-42");
  EXPECT_EQ(Number::FromInt64(INT64_MAX).ToString(), "9223372036854775807");
  EXPECT_EQ(Number::FromInt64(INT64_MIN).ToString(), "-9223372036854775808");
}

TEST(NumberTest, MessagesAreDynamoDbs) {
  EXPECT_EQ(NumberErrorMessage(NumberError::kNotANumber, "x"),
            "A value provided cannot be converted into a number");
  EXPECT_EQ(NumberErrorMessage(NumberError::kTooManyDigits, ""),
            "DynamoDB only supports precision up to 38 digits");
  EXPECT_EQ(NumberErrorMessage(NumberError::kOverflow, ""),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
  EXPECT_EQ(NumberErrorMessage(NumberError::kUnderflow, ""),
            "Number underflow. Attempting to store a number with magnitude smaller than supported "
            "range");
}

TEST(NumberArithmeticTest, SimpleSums) {
  EXPECT_EQ(Sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(Sum("-1", "0.001"), "-0.999");
  EXPECT_EQ(Sum("100", "-0.001"), "99.999");
  EXPECT_EQ(Sum("1E37", "1"), "10000000000000000000000000000000000001");
  EXPECT_EQ(Sum("0", "-7"), "-7");
  EXPECT_EQ(Sum("-7", "0"), "-7");
  EXPECT_EQ(Sum("-2.5", "-2.5"), "-5");
}

TEST(NumberArithmeticTest, CarryAndBorrow) {
  EXPECT_EQ(Sum(std::string(38, '9'), "1"), "1" + std::string(38, '0'));
  EXPECT_EQ(Sum("9999999999999999999999999999999999999.5", "0.5"), "1" + std::string(37, '0'));
  EXPECT_EQ(Sum("1234567890123456789012345678901234567.5", "0.5"),
            "1234567890123456789012345678901234568");
  EXPECT_EQ(Sum("1000", "-0.001"), "999.999");
  EXPECT_EQ(Sum("0.001", "-1000"), "-999.999");
  EXPECT_EQ(Sum(std::string(38, '9'), "-" + std::string(37, '9') + "8"), "1");
  EXPECT_EQ(Difference("1", "0.999"), "0.001");
}

TEST(NumberArithmeticTest, CancellationGivesUnsignedZero) {
  auto zero = N("5").Subtract(N("5"));
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->is_zero());
  EXPECT_FALSE(zero->is_negative());
  EXPECT_EQ(Sum("1.5", "-1.5"), "0");
  EXPECT_EQ(Sum("-0.25", "0.25"), "0");
  EXPECT_EQ(Sum("1E125", "-1E125"), "0");
  EXPECT_EQ(Sum("1E-130", "-1E-130"), "0");
}

TEST(NumberArithmeticTest, TooManyDigits) {
  const std::string precision = "DynamoDB only supports precision up to 38 digits";
  EXPECT_EQ(Sum("1E37", "0.1"), precision);
  EXPECT_EQ(Sum("12345678901234567890123456789012345678", "0.5"), precision);
  EXPECT_EQ(Sum("1E38", "1"), precision);
  EXPECT_EQ(Sum("1E-130", "1"), precision);
  EXPECT_EQ(Sum("1E125", "1E-130"), precision);
  // Digits are checked before the range.
  EXPECT_EQ(Sum("9.9999999999999999999999999999999999999E+125", "1E+125"), precision);
  EXPECT_EQ(Sum("-9.9999999999999999999999999999999999999E+125", "-1E+125"), precision);
  EXPECT_EQ(Sum("9.9999999999999999999999999999999999999E+125", "1E+87"), precision);
}

TEST(NumberArithmeticTest, RangeErrors) {
  EXPECT_EQ(Sum("9.9999999999999999999999999999999999999E+125", "1E+88"),
            NumberErrorMessage(NumberError::kOverflow, ""));
  EXPECT_EQ(Sum("5E125", "5E125"), NumberErrorMessage(NumberError::kOverflow, ""));
  EXPECT_EQ(Difference("1.2345E-127", "1.2344E-127"),
            NumberErrorMessage(NumberError::kUnderflow, ""));
  EXPECT_EQ(Sum("1.2345E-127", "-1.2344E-127"), NumberErrorMessage(NumberError::kUnderflow, ""));
  EXPECT_EQ(Sum("-1E-130", "2E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Sum("-5E125", "-4.9E125"), "-99" + std::string(124, '0'));
  EXPECT_EQ(Sum("9.9999999999999999999999999999999999999E+125", "-1E+88"),
            std::string(37, '9') + "8" + std::string(88, '0'));
}

TEST(NumberArithmeticTest, NegatedAndSubtract) {
  EXPECT_EQ(N("3").Negated().ToString(), "-3");
  EXPECT_EQ(N("-3").Negated().ToString(), "3");
  EXPECT_FALSE(Number().Negated().is_negative());
  EXPECT_EQ(Difference("5", "-5"), "10");
  EXPECT_EQ(Difference("-5", "5"), "-10");
  EXPECT_EQ(Difference("0", "2.5"), "-2.5");
}

TEST(NumberCompareTest, TotalOrder) {
  const char* ascending[] = {"-1E125", "-100",   "-99.5",  "-1",  "-0.001", "-1E-130",
                             "0",      "1E-130", "0.0011", "0.1", "0.12",   "1",
                             "1.5",    "10",     "10.01",  "99",  "1E38",   "1E125"};
  const size_t count = sizeof(ascending) / sizeof(ascending[0]);
  for (size_t i = 0; i < count; ++i) {
    for (size_t j = 0; j < count; ++j) {
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(N(ascending[i]).Compare(N(ascending[j])), expected)
          << ascending[i] << " vs " << ascending[j];
    }
  }
  EXPECT_EQ(N("1000").Compare(N("1E3")), 0);
  EXPECT_EQ(N("1000"), N("1000.00"));
  EXPECT_TRUE(N("2") < N("10"));
}

TEST(NumberSizeTest, MatchesDynamoDbLocal) {
  // Bytes measured against DynamoDB Local's 400 KB item limit.
  EXPECT_EQ(N("1").SizeBytes(), 2u);
  EXPECT_EQ(N("12").SizeBytes(), 2u);
  EXPECT_EQ(N("123").SizeBytes(), 3u);
  EXPECT_EQ(N("1.5").SizeBytes(), 3u);
  EXPECT_EQ(N("10.5").SizeBytes(), 3u);
  EXPECT_EQ(N("0.5").SizeBytes(), 2u);
  EXPECT_EQ(N("0.05").SizeBytes(), 2u);
  EXPECT_EQ(N("100").SizeBytes(), 2u);
  EXPECT_EQ(N("1E10").SizeBytes(), 2u);
  EXPECT_EQ(N("12345").SizeBytes(), 4u);
  EXPECT_EQ(N("-1").SizeBytes(), 3u);
  EXPECT_EQ(N("-12").SizeBytes(), 3u);
  EXPECT_EQ(N("0").SizeBytes(), 1u);
  EXPECT_EQ(N("1E-130").SizeBytes(), 2u);
  EXPECT_EQ(N(std::string(38, '1')).SizeBytes(), 20u);
  EXPECT_EQ(N("9.9999999999999999999999999999999999999E+125").SizeBytes(), 20u);
  EXPECT_EQ(N("0.1").SizeBytes(), 2u);
  EXPECT_EQ(N("0.12").SizeBytes(), 2u);
  EXPECT_EQ(N("0.123").SizeBytes(), 3u);
  EXPECT_EQ(N("1.23").SizeBytes(), 3u);
  EXPECT_EQ(N("12.3").SizeBytes(), 3u);
  EXPECT_EQ(N("123.45").SizeBytes(), 4u);
  EXPECT_EQ(N("1234.5").SizeBytes(), 4u);
}

}  // namespace
}  // namespace dunlin::model
