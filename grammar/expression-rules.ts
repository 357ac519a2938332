/**
 * Grammar, part 1 of 3: expressions, types, literals and names, which every statement builds
 * on (parser.ts explains the split).
 *
 * The left recursion of ksqlDB's ANTLR grammar becomes flat operator lists (AND/OR in
 * `expression`; `||`, `+ -`, `* / %` in `valueExpression`) whose precedence the AST builder
 * applies, a prefix rule for signs and a postfix loop for `[i]` and `->field`:
 *   OR < AND < NOT < predicate (comparison, BETWEEN, IN, LIKE, IS [NOT] NULL, IS [NOT] DISTINCT
 *   FROM) < || < + - < * / % < unary + - < postfix ([i], ->) < primary.
 * Flat lists mean fewer CST levels per operand, which is most of the parser's work.
 *
 * A parenthesised list `(a, b)` is accepted as a primary expression (a "tuple") because it
 * cannot be told apart from a parenthesised expression with bounded lookahead; the AST builder
 * accepts tuples only where ksqlDB's grammar has them (GROUP BY, PARTITION BY, lambda
 * parameters) and reports ksqlDB's syntax error elsewhere.
 */
import { CstParser, type IParserConfig, type IToken, type TokenType, tokenMatcher } from 'chevrotain';
import {
  AnyIdentifier,
  Arrow,
  Assign,
  Asterisk,
  allTokens,
  Comma,
  Concat,
  DecimalLiteral,
  Dot,
  Equals,
  FloatingPointLiteral,
  GreaterOrEqual,
  GreaterThan,
  IntegerLiteral,
  Kw,
  Lambda,
  LBracket,
  LessOrEqual,
  LessThan,
  LParen,
  Minus,
  NotEquals,
  Percent,
  Plus,
  RBracket,
  RParen,
  Slash,
  StringLiteral,
  TimeUnit,
  Variable,
} from './tokens.js';

/**
 * Time units that are reserved words: as a function argument they can only be a unit. The
 * non-reserved ones (DAY, HOUR, MINUTE, SECOND) read as column names there, as in ksqlDB.
 */
const reservedTimeUnits: readonly TokenType[] = [
  Kw.MILLISECOND,
  Kw.MILLISECONDS,
  Kw.SECONDS,
  Kw.MINUTES,
  Kw.HOURS,
  Kw.DAYS,
];

export class ExpressionRules extends CstParser {
  constructor(config: IParserConfig) {
    super(allTokens as TokenType[], config);
  }

  protected is(token: IToken, type: TokenType): boolean {
    return tokenMatcher(token, type);
  }

  // ------------------------------------------------------------------ types

  public type = this.RULE('type', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.ARRAY);
          this.CONSUME(LessThan);
          this.SUBRULE(this.type);
          this.CONSUME(GreaterThan);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.MAP);
          this.CONSUME2(LessThan);
          this.SUBRULE2(this.type);
          this.CONSUME(Comma);
          this.SUBRULE3(this.type);
          this.CONSUME2(GreaterThan);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.STRUCT);
          this.CONSUME3(LessThan);
          this.OPTION(() => {
            this.SUBRULE(this.structTypeField);
            this.MANY(() => {
              this.CONSUME2(Comma);
              this.SUBRULE2(this.structTypeField);
            });
          });
          this.CONSUME3(GreaterThan);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.DECIMAL);
          this.CONSUME(LParen);
          this.SUBRULE(this.number);
          this.CONSUME3(Comma);
          this.SUBRULE2(this.number);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(AnyIdentifier);
          this.OPTION2(() => {
            this.CONSUME2(LParen);
            this.SUBRULE(this.typeParameter);
            this.MANY2(() => {
              this.CONSUME4(Comma);
              this.SUBRULE2(this.typeParameter);
            });
            this.CONSUME2(RParen);
          });
        },
      },
    ]);
    // ksqlDB's legacy postfix form: `INT ARRAY` is `ARRAY<INT>`.
    this.MANY3({
      GATE: () => !this.is(this.LA(2), LessThan),
      DEF: () => this.CONSUME2(Kw.ARRAY, { LABEL: 'arraySuffix' }),
    });
  });

  public structTypeField = this.RULE('structTypeField', () => {
    this.CONSUME(AnyIdentifier);
    this.SUBRULE(this.type);
  });

  public typeParameter = this.RULE('typeParameter', () => {
    this.OR([{ ALT: () => this.CONSUME(IntegerLiteral) }, { ALT: () => this.CONSUME(Kw.STRING) }]);
  });

  public duration = this.RULE('duration', () => {
    this.SUBRULE(this.number);
    this.CONSUME(TimeUnit);
  });

  // ------------------------------------------------------------ expressions

  /**
   * `a AND b OR c`: AND and OR share one flat rule (fewer CST levels per operand, which is
   * most of the parser's work); the AST builder applies their precedence, AND over OR.
   */
  public expression = this.RULE('expression', () => {
    this.SUBRULE(this.notExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Kw.AND, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Kw.OR, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.notExpression, { LABEL: 'operands' });
    });
  });

  public notExpression = this.RULE('notExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.NOT);
          this.SUBRULE(this.notExpression);
        },
      },
      { ALT: () => this.SUBRULE(this.predicated) },
    ]);
  });

  public predicated = this.RULE('predicated', () => {
    this.SUBRULE(this.valueExpression, { LABEL: 'value' });
    this.OPTION(() => this.SUBRULE(this.predicate));
  });

  public predicate = this.RULE('predicate', () => {
    this.OR([
      {
        ALT: () => {
          this.SUBRULE(this.comparisonOperator);
          this.SUBRULE(this.valueExpression, { LABEL: 'right' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Kw.NOT));
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(Kw.BETWEEN);
                this.SUBRULE2(this.valueExpression, { LABEL: 'lower' });
                this.CONSUME(Kw.AND);
                this.SUBRULE3(this.valueExpression, { LABEL: 'upper' });
              },
            },
            {
              ALT: () => {
                this.CONSUME(Kw.IN);
                this.CONSUME(LParen);
                this.SUBRULE(this.expression, { LABEL: 'inList' });
                this.MANY(() => {
                  this.CONSUME(Comma);
                  this.SUBRULE2(this.expression, { LABEL: 'inList' });
                });
                this.CONSUME(RParen);
              },
            },
            {
              ALT: () => {
                this.CONSUME(Kw.LIKE);
                this.SUBRULE4(this.valueExpression, { LABEL: 'pattern' });
                this.OPTION2(() => {
                  this.CONSUME(Kw.ESCAPE);
                  this.CONSUME(StringLiteral, { LABEL: 'escape' });
                });
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.IS);
          this.OPTION3(() => this.CONSUME2(Kw.NOT));
          this.OR3([
            { ALT: () => this.CONSUME(Kw.NULL) },
            {
              ALT: () => {
                this.CONSUME(Kw.DISTINCT);
                this.CONSUME(Kw.FROM);
                this.SUBRULE5(this.valueExpression, { LABEL: 'right' });
              },
            },
          ]);
        },
      },
    ]);
  });

  public comparisonOperator = this.RULE('comparisonOperator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Equals) },
      { ALT: () => this.CONSUME(NotEquals) },
      { ALT: () => this.CONSUME(LessThan) },
      { ALT: () => this.CONSUME(LessOrEqual) },
      { ALT: () => this.CONSUME(GreaterThan) },
      { ALT: () => this.CONSUME(GreaterOrEqual) },
    ]);
  });

  /**
   * Operands joined by `||`, `+ -` and `* / %`, flat like `expression`; the AST builder applies
   * the precedence (`||` loosest, then `+ -`, then `* / %`, all left-associative).
   */
  public valueExpression = this.RULE('valueExpression', () => {
    this.SUBRULE(this.unaryExpression, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Concat, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Minus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Asterisk, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Slash, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Percent, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.unaryExpression, { LABEL: 'operands' });
    });
  });

  /**
   * A signed operand, or a primary expression with its postfix `[i]` and `->field`. A minus
   * directly before a number is part of the literal (`-2147483648` is an INT), as in ksqlDB.
   */
  public unaryExpression = this.RULE('unaryExpression', () => {
    this.OR([
      {
        // `-5` is a literal (a primary expression, so `-5[1]` subscripts the literal).
        GATE: () => !(this.is(this.LA(1), Minus) && this.isNumberToken(this.LA(2))),
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(Minus, { LABEL: 'sign' }) },
            { ALT: () => this.CONSUME(Plus, { LABEL: 'sign' }) },
          ]);
          this.SUBRULE(this.unaryExpression);
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () => {
          this.SUBRULE(this.primaryExpression);
          this.MANY(() => {
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME(LBracket, { LABEL: 'subscript' });
                  this.SUBRULE(this.valueExpression, { LABEL: 'index' });
                  this.CONSUME(RBracket);
                },
              },
              {
                ALT: () => {
                  this.CONSUME(Arrow, { LABEL: 'dereference' });
                  this.OR4([
                    { ALT: () => this.CONSUME(AnyIdentifier, { LABEL: 'field' }) },
                    { ALT: () => this.CONSUME(Asterisk, { LABEL: 'allFields' }) },
                  ]);
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  public primaryExpression = this.RULE('primaryExpression', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.caseExpression) },
      { ALT: () => this.SUBRULE(this.castExpression) },
      {
        GATE: () => this.is(this.LA(2), LBracket),
        ALT: () => this.SUBRULE(this.arrayConstructor),
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => this.is(this.LA(2), LParen),
        ALT: () => this.SUBRULE(this.mapConstructor),
        IGNORE_AMBIGUITIES: true,
      },
      {
        GATE: () => this.is(this.LA(2), LParen),
        ALT: () => this.SUBRULE(this.structConstructor),
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.identifierExpression), IGNORE_AMBIGUITIES: true },
      { ALT: () => this.SUBRULE(this.parenthesizedList) },
    ]);
  });

  /** A column, `source.column`, a function call, or a typed literal (`DECIMAL '1.5'`). */
  public identifierExpression = this.RULE('identifierExpression', () => {
    this.CONSUME(AnyIdentifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(LParen, { LABEL: 'call' });
            this.OPTION2(() => {
              this.OR2([
                { ALT: () => this.CONSUME(Asterisk, { LABEL: 'star' }) },
                {
                  ALT: () => {
                    this.OPTION3(() => this.CONSUME(Kw.DISTINCT));
                    this.SUBRULE(this.functionArgument);
                    this.MANY(() => {
                      this.CONSUME(Comma);
                      this.SUBRULE2(this.functionArgument);
                    });
                  },
                },
              ]);
            });
            this.CONSUME(RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Dot);
            this.CONSUME2(AnyIdentifier, { LABEL: 'qualified' });
          },
        },
        { ALT: () => this.CONSUME(StringLiteral, { LABEL: 'typedLiteral' }) },
      ]);
    });
  });

  /** An argument: an expression, a lambda (`x => ...`, `(x, y) => ...`) or a time unit. */
  public functionArgument = this.RULE('functionArgument', () => {
    this.OR([
      {
        GATE: () =>
          reservedTimeUnits.some((unit) => this.is(this.LA(1), unit)) &&
          (this.is(this.LA(2), Comma) || this.is(this.LA(2), RParen)),
        ALT: () => this.CONSUME(TimeUnit),
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.CONSUME(Lambda);
            this.SUBRULE2(this.expression, { LABEL: 'lambdaBody' });
          });
        },
      },
    ]);
  });

  public caseExpression = this.RULE('caseExpression', () => {
    this.CONSUME(Kw.CASE);
    this.OPTION(() => this.SUBRULE(this.valueExpression, { LABEL: 'operand' }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION2(() => {
      this.CONSUME(Kw.ELSE);
      this.SUBRULE(this.expression, { LABEL: 'elseResult' });
    });
    this.CONSUME(Kw.END);
  });

  public whenClause = this.RULE('whenClause', () => {
    this.CONSUME(Kw.WHEN);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.CONSUME(Kw.THEN);
    this.SUBRULE2(this.expression, { LABEL: 'result' });
  });

  public castExpression = this.RULE('castExpression', () => {
    this.CONSUME(Kw.CAST);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(Kw.AS);
    this.SUBRULE(this.type);
    this.CONSUME(RParen);
  });

  public arrayConstructor = this.RULE('arrayConstructor', () => {
    this.CONSUME(Kw.ARRAY);
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(RBracket);
  });

  public mapConstructor = this.RULE('mapConstructor', () => {
    this.CONSUME(Kw.MAP);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.mapEntry);
      });
    });
    this.CONSUME(RParen);
  });

  public mapEntry = this.RULE('mapEntry', () => {
    this.SUBRULE(this.expression, { LABEL: 'key' });
    this.CONSUME(Assign);
    this.SUBRULE2(this.expression, { LABEL: 'value' });
  });

  public structConstructor = this.RULE('structConstructor', () => {
    this.CONSUME(Kw.STRUCT);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.structField);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.structField);
      });
    });
    this.CONSUME(RParen);
  });

  public structField = this.RULE('structField', () => {
    this.CONSUME(AnyIdentifier);
    this.CONSUME(Assign);
    this.SUBRULE(this.expression);
  });

  /** `(e)`, `(a, b)` or `()`; see the header comment for why tuples are parsed here. */
  public parenthesizedList = this.RULE('parenthesizedList', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(RParen);
  });

  public literal = this.RULE('literal', () => {
    this.OR([
      { ALT: () => this.CONSUME(Kw.NULL) },
      { ALT: () => this.SUBRULE(this.number) },
      { ALT: () => this.CONSUME(Kw.TRUE) },
      { ALT: () => this.CONSUME(Kw.FALSE) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(Variable) },
    ]);
  });

  public number = this.RULE('number', () => {
    this.OPTION(() => this.CONSUME(Minus, { LABEL: 'sign' }));
    this.OR([
      { ALT: () => this.CONSUME(IntegerLiteral) },
      { ALT: () => this.CONSUME(DecimalLiteral) },
      { ALT: () => this.CONSUME(FloatingPointLiteral) },
    ]);
  });

  // ---------------------------------------------------------------- gates

  protected isIdentifierToken(token: IToken): boolean {
    return this.is(token, AnyIdentifier);
  }

  protected isNumberToken(token: IToken): boolean {
    return (
      this.is(token, IntegerLiteral) || this.is(token, DecimalLiteral) || this.is(token, FloatingPointLiteral)
    );
  }
}
