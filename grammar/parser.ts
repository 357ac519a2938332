/**
 * ksqlDB's SQL grammar as a chevrotain CstParser: rules only, no semantics.
 *
 * The shape follows ksqlDB's ANTLR grammar with the left recursion rewritten as precedence
 * levels (lowest first):
 *   OR < AND < NOT < predicate (comparison, BETWEEN, IN, LIKE, IS [NOT] NULL, IS [NOT] DISTINCT
 *   FROM) < || < + - < * / % < unary + - < postfix ([i], ->) < primary.
 * Where ANTLR relies on unbounded lookahead (a non-reserved keyword that may be an alias or
 * start the next clause), a GATE looks at the next two tokens instead.
 *
 * A parenthesised list `(a, b)` is accepted as a primary expression (a "tuple") because it
 * cannot be told apart from a parenthesised expression with bounded lookahead; the AST builder
 * accepts tuples only where ksqlDB's grammar has them (GROUP BY, PARTITION BY, lambda
 * parameters) and reports ksqlDB's syntax error elsewhere.
 */
import {
  CstParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
  tokenMatcher,
} from 'chevrotain';
import {
  Arrow,
  Assign,
  Asterisk,
  allTokens,
  BackQuotedIdentifier,
  Comma,
  Concat,
  DecimalLiteral,
  DigitIdentifier,
  Dot,
  Equals,
  FloatingPointLiteral,
  GreaterOrEqual,
  GreaterThan,
  Identifier,
  IntegerLiteral,
  Kw,
  Lambda,
  LBracket,
  LessOrEqual,
  LessThan,
  LParen,
  Minus,
  NonReserved,
  NotEquals,
  Percent,
  Plus,
  QuotedIdentifier,
  RBracket,
  RParen,
  Semicolon,
  Slash,
  StringLiteral,
  TimeUnit,
  Variable,
} from './tokens.js';

const reservedTimeUnits: readonly TokenType[] = [
  Kw.MILLISECOND,
  Kw.MILLISECONDS,
  Kw.SECONDS,
  Kw.MINUTES,
  Kw.HOURS,
  Kw.DAYS,
];

export class SqlParser extends CstParser {
  /** `errorMessageProvider` lets the caller word (or record) recognition errors its own way. */
  constructor(options: { errorMessageProvider?: IParserErrorMessageProvider } = {}) {
    super(allTokens as TokenType[], {
      maxLookahead: 2,
      nodeLocationTracking: 'onlyOffset',
      ...(options.errorMessageProvider === undefined
        ? {}
        : { errorMessageProvider: options.errorMessageProvider }),
    });
    this.performSelfAnalysis();
  }

  private is(token: IToken, type: TokenType): boolean {
    return tokenMatcher(token, type);
  }

  // ---------------------------------------------------------------- statements

  /** One statement, optionally followed by its `;`. */
  public singleStatement = this.RULE('singleStatement', () => {
    this.SUBRULE(this.statement);
    this.OPTION(() => this.CONSUME(Semicolon));
  });

  public statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.listStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.printStatement) },
      { ALT: () => this.SUBRULE(this.queryControlStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.unsetStatement) },
      { ALT: () => this.SUBRULE(this.alterStatement) },
      { ALT: () => this.SUBRULE(this.defineStatement) },
      { ALT: () => this.SUBRULE(this.undefineStatement) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.assertStatement) },
      { ALT: () => this.SUBRULE(this.runScriptStatement) },
    ]);
  });

  public listStatement = this.RULE('listStatement', () => {
    this.OR([{ ALT: () => this.CONSUME(Kw.LIST) }, { ALT: () => this.CONSUME(Kw.SHOW) }]);
    this.OR2([
      { ALT: () => this.CONSUME(Kw.PROPERTIES) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Kw.ALL));
          this.CONSUME(Kw.TOPICS);
          this.OPTION2(() => this.CONSUME(Kw.EXTENDED));
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(Kw.STREAMS) },
            { ALT: () => this.CONSUME(Kw.TABLES) },
            { ALT: () => this.CONSUME(Kw.QUERIES) },
          ]);
          this.OPTION3(() => this.CONSUME2(Kw.EXTENDED));
        },
      },
      { ALT: () => this.CONSUME(Kw.FUNCTIONS) },
      { ALT: () => this.CONSUME(Kw.TYPES) },
      { ALT: () => this.CONSUME(Kw.VARIABLES) },
      {
        ALT: () => {
          this.CONSUME(Kw.CONNECTOR);
          this.CONSUME(Kw.PLUGINS);
        },
      },
      {
        ALT: () => {
          this.OPTION4(() =>
            this.OR4([{ ALT: () => this.CONSUME(Kw.SOURCE) }, { ALT: () => this.CONSUME(Kw.SINK) }]),
          );
          this.CONSUME(Kw.CONNECTORS);
        },
      },
    ]);
  });

  public describeStatement = this.RULE('describeStatement', () => {
    this.CONSUME(Kw.DESCRIBE);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.STREAMS);
          this.OPTION(() => this.CONSUME(Kw.EXTENDED));
        },
      },
      {
        GATE: () => this.is(this.LA(1), Kw.FUNCTION) && this.isIdentifierToken(this.LA(2)),
        ALT: () => {
          this.CONSUME(Kw.FUNCTION);
          this.SUBRULE(this.identifier);
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () => {
          this.CONSUME(Kw.CONNECTOR);
          this.SUBRULE2(this.identifier);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.sourceName);
          this.OPTION2(() => this.CONSUME2(Kw.EXTENDED));
        },
      },
    ]);
  });

  public printStatement = this.RULE('printStatement', () => {
    this.CONSUME(Kw.PRINT);
    this.SUBRULE(this.resourceName);
    this.OPTION(() => {
      this.CONSUME(Kw.FROM);
      this.CONSUME(Kw.BEGINNING);
    });
    this.OPTION2(() => {
      this.OR([{ ALT: () => this.CONSUME(Kw.INTERVAL) }, { ALT: () => this.CONSUME(Kw.SAMPLE) }]);
      this.SUBRULE(this.number);
    });
    this.OPTION3(() => this.SUBRULE(this.limitClause));
  });

  /** TERMINATE, PAUSE and RESUME: a query id or ALL. */
  public queryControlStatement = this.RULE('queryControlStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(Kw.TERMINATE) },
      { ALT: () => this.CONSUME(Kw.PAUSE) },
      { ALT: () => this.CONSUME(Kw.RESUME) },
    ]);
    this.OR2([{ ALT: () => this.CONSUME(Kw.ALL) }, { ALT: () => this.SUBRULE(this.identifier) }]);
  });

  public setStatement = this.RULE('setStatement', () => {
    this.CONSUME(Kw.SET);
    this.SUBRULE(this.stringOrVariable);
    this.CONSUME(Equals);
    this.SUBRULE2(this.stringOrVariable);
  });

  public unsetStatement = this.RULE('unsetStatement', () => {
    this.CONSUME(Kw.UNSET);
    this.SUBRULE(this.stringOrVariable);
  });

  public stringOrVariable = this.RULE('stringOrVariable', () => {
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.CONSUME(Variable) }]);
  });

  public alterStatement = this.RULE('alterStatement', () => {
    this.CONSUME(Kw.ALTER);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.SYSTEM);
          this.CONSUME(StringLiteral);
          this.CONSUME(Equals);
          this.CONSUME2(StringLiteral);
        },
      },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(Kw.STREAM) }, { ALT: () => this.CONSUME(Kw.TABLE) }]);
          this.SUBRULE(this.sourceName);
          this.SUBRULE(this.alterOption);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.alterOption);
          });
        },
      },
    ]);
  });

  public alterOption = this.RULE('alterOption', () => {
    this.CONSUME(Kw.ADD);
    // `ADD COLUMN x INT` against `ADD column INT` (a column named COLUMN): COLUMN is the keyword
    // unless the type ends right after the next token.
    this.OPTION({
      GATE: () => !this.endsAlterOption(this.LA(3)),
      DEF: () => this.CONSUME(Kw.COLUMN),
    });
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
  });

  public defineStatement = this.RULE('defineStatement', () => {
    this.CONSUME(Kw.DEFINE);
    this.SUBRULE(this.identifier);
    this.CONSUME(Equals);
    this.CONSUME(StringLiteral);
  });

  public undefineStatement = this.RULE('undefineStatement', () => {
    this.CONSUME(Kw.UNDEFINE);
    this.SUBRULE(this.identifier);
  });

  /**
   * CREATE [OR REPLACE] [SOURCE] STREAM|TABLE ..., CREATE ... AS SELECT, CREATE TYPE and
   * CREATE SOURCE|SINK CONNECTOR. The combinations ksqlDB does not allow (SOURCE with AS,
   * columns with AS, OR REPLACE with TYPE) are rejected by the AST builder.
   */
  public createStatement = this.RULE('createStatement', () => {
    this.CONSUME(Kw.CREATE);
    this.OPTION(() => {
      this.CONSUME(Kw.OR);
      this.CONSUME(Kw.REPLACE);
    });
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(Kw.SOURCE) }, { ALT: () => this.CONSUME(Kw.SINK) }]);
          this.CONSUME(Kw.CONNECTOR);
          this.SUBRULE(this.ifNotExists);
          this.SUBRULE(this.identifier);
          this.SUBRULE(this.withProperties);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(Kw.SOURCE));
          this.OR3([{ ALT: () => this.CONSUME(Kw.STREAM) }, { ALT: () => this.CONSUME(Kw.TABLE) }]);
          this.SUBRULE2(this.ifNotExists);
          this.SUBRULE(this.sourceName);
          this.OPTION3(() => this.SUBRULE(this.tableElements));
          this.OPTION4(() => this.SUBRULE2(this.withProperties));
          this.OPTION5(() => {
            this.CONSUME(Kw.AS);
            this.SUBRULE(this.query);
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.TYPE);
          this.SUBRULE3(this.ifNotExists);
          this.SUBRULE2(this.identifier);
          this.CONSUME2(Kw.AS);
          this.SUBRULE(this.type);
        },
      },
    ]);
  });

  public ifNotExists = this.RULE('ifNotExists', () => {
    this.OPTION({
      GATE: () => this.is(this.LA(2), Kw.NOT),
      DEF: () => {
        this.CONSUME(Kw.IF);
        this.CONSUME(Kw.NOT);
        this.CONSUME(Kw.EXISTS);
      },
    });
  });

  public ifExists = this.RULE('ifExists', () => {
    this.OPTION({
      GATE: () => this.is(this.LA(2), Kw.EXISTS),
      DEF: () => {
        this.CONSUME(Kw.IF);
        this.CONSUME(Kw.EXISTS);
      },
    });
  });

  public insertStatement = this.RULE('insertStatement', () => {
    this.CONSUME(Kw.INSERT);
    this.CONSUME(Kw.INTO);
    this.SUBRULE(this.sourceName);
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.SUBRULE(this.withProperties));
          this.SUBRULE(this.query);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.SUBRULE(this.columnList));
          this.CONSUME(Kw.VALUES);
          this.SUBRULE(this.valueList);
        },
      },
    ]);
  });

  public columnList = this.RULE('columnList', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.identifier);
    });
    this.CONSUME(RParen);
  });

  public valueList = this.RULE('valueList', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.valueExpression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.valueExpression);
      });
    });
    this.CONSUME(RParen);
  });

  public dropStatement = this.RULE('dropStatement', () => {
    this.CONSUME(Kw.DROP);
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(Kw.STREAM) }, { ALT: () => this.CONSUME(Kw.TABLE) }]);
          this.SUBRULE(this.ifExists);
          this.SUBRULE(this.sourceName);
          this.OPTION(() => {
            this.CONSUME(Kw.DELETE);
            this.CONSUME(Kw.TOPIC);
          });
        },
      },
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(Kw.TYPE) }, { ALT: () => this.CONSUME(Kw.CONNECTOR) }]);
          this.SUBRULE2(this.ifExists);
          this.SUBRULE(this.identifier);
        },
      },
    ]);
  });

  public explainStatement = this.RULE('explainStatement', () => {
    this.CONSUME(Kw.EXPLAIN);
    this.OR([
      {
        GATE: () => !this.isIdentifierToken(this.LA(1)) || this.startsStatement(this.LA(1), this.LA(2)),
        ALT: () => this.SUBRULE(this.statement),
        IGNORE_AMBIGUITIES: true,
      },
      { ALT: () => this.SUBRULE(this.identifier), IGNORE_AMBIGUITIES: true },
    ]);
  });

  public assertStatement = this.RULE('assertStatement', () => {
    this.CONSUME(Kw.ASSERT);
    this.OPTION(() => {
      this.CONSUME(Kw.NOT);
      this.CONSUME(Kw.EXISTS);
    });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.TOPIC);
          this.SUBRULE(this.resourceName);
          this.OPTION2(() => this.SUBRULE(this.withProperties));
          this.OPTION3(() => this.SUBRULE(this.timeout));
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.SCHEMA);
          this.OPTION4(() => {
            this.CONSUME(Kw.SUBJECT);
            this.SUBRULE2(this.resourceName);
          });
          this.OPTION5(() => {
            this.CONSUME(Kw.ID);
            this.SUBRULE(this.literal);
          });
          this.OPTION6(() => this.SUBRULE2(this.timeout));
        },
      },
    ]);
  });

  public timeout = this.RULE('timeout', () => {
    this.CONSUME(Kw.TIMEOUT);
    this.SUBRULE(this.duration);
  });

  public runScriptStatement = this.RULE('runScriptStatement', () => {
    this.CONSUME(Kw.RUN);
    this.CONSUME(Kw.SCRIPT);
    this.CONSUME(StringLiteral);
  });

  public resourceName = this.RULE('resourceName', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
  });

  // ------------------------------------------------------------ DDL pieces

  public tableElements = this.RULE('tableElements', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.tableElement);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.tableElement);
    });
    this.CONSUME(RParen);
  });

  public tableElement = this.RULE('tableElement', () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
    this.OPTION(() => this.SUBRULE(this.columnConstraint));
  });

  public columnConstraint = this.RULE('columnConstraint', () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Kw.PRIMARY));
          this.CONSUME(Kw.KEY);
        },
      },
      { ALT: () => this.CONSUME(Kw.HEADERS) },
      {
        ALT: () => {
          this.CONSUME(Kw.HEADER);
          this.CONSUME(LParen);
          this.CONSUME(StringLiteral);
          this.CONSUME(RParen);
        },
      },
    ]);
  });

  public withProperties = this.RULE('withProperties', () => {
    this.CONSUME(Kw.WITH);
    this.CONSUME(LParen);
    this.SUBRULE(this.property);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.property);
    });
    this.CONSUME(RParen);
  });

  public property = this.RULE('property', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    this.CONSUME(Equals);
    this.SUBRULE(this.literal);
  });

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
          this.SUBRULE(this.identifier);
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
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.type);
  });

  public typeParameter = this.RULE('typeParameter', () => {
    this.OR([{ ALT: () => this.CONSUME(IntegerLiteral) }, { ALT: () => this.CONSUME(Kw.STRING) }]);
  });

  // ------------------------------------------------------------------ query

  public query = this.RULE('query', () => {
    this.CONSUME(Kw.SELECT);
    this.SUBRULE(this.selectItem);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.selectItem);
    });
    this.CONSUME(Kw.FROM);
    this.SUBRULE(this.relation);
    this.OPTION(() => {
      this.CONSUME(Kw.WINDOW);
      this.SUBRULE(this.windowExpression);
    });
    this.OPTION2(() => {
      this.CONSUME(Kw.WHERE);
      this.SUBRULE(this.expression, { LABEL: 'where' });
    });
    this.OPTION3(() => {
      this.CONSUME(Kw.GROUP);
      this.CONSUME(Kw.BY);
      this.SUBRULE(this.groupingList, { LABEL: 'groupBy' });
    });
    this.OPTION4(() => {
      this.CONSUME(Kw.PARTITION);
      this.CONSUME2(Kw.BY);
      this.SUBRULE2(this.groupingList, { LABEL: 'partitionBy' });
    });
    this.OPTION5(() => {
      this.CONSUME(Kw.HAVING);
      this.SUBRULE2(this.expression, { LABEL: 'having' });
    });
    this.OPTION6(() => {
      this.CONSUME(Kw.EMIT);
      this.OR([{ ALT: () => this.CONSUME(Kw.CHANGES) }, { ALT: () => this.CONSUME(Kw.FINAL) }]);
    });
    this.OPTION7(() => this.SUBRULE(this.limitClause));
  });

  public limitClause = this.RULE('limitClause', () => {
    this.CONSUME(Kw.LIMIT);
    this.SUBRULE(this.number);
  });

  public groupingList = this.RULE('groupingList', () => {
    this.SUBRULE(this.valueExpression);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.valueExpression);
    });
  });

  public selectItem = this.RULE('selectItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(Asterisk) },
      {
        GATE: () => this.is(this.LA(2), Dot) && this.is(this.LA(3), Asterisk),
        ALT: () => {
          this.SUBRULE(this.identifier, { LABEL: 'allColumnsOf' });
          this.CONSUME(Dot);
          this.CONSUME2(Asterisk);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.OPTION2(() => this.CONSUME(Kw.AS));
            this.SUBRULE2(this.identifier, { LABEL: 'alias' });
          });
        },
      },
    ]);
  });

  public relation = this.RULE('relation', () => {
    this.SUBRULE(this.aliasedRelation);
    this.MANY(() => this.SUBRULE(this.joinedSource));
  });

  public aliasedRelation = this.RULE('aliasedRelation', () => {
    this.SUBRULE(this.sourceName);
    this.OPTION({
      GATE: () => !this.startsClauseAfterRelation(this.LA(1), this.LA(2)),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(Kw.AS));
        this.SUBRULE2(this.sourceName, { LABEL: 'alias' });
      },
    });
  });

  public joinedSource = this.RULE('joinedSource', () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(Kw.INNER) },
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(Kw.FULL) },
              { ALT: () => this.CONSUME(Kw.LEFT) },
              { ALT: () => this.CONSUME(Kw.RIGHT) },
            ]);
            this.OPTION2(() => this.CONSUME(Kw.OUTER));
          },
        },
      ]);
    });
    this.CONSUME(Kw.JOIN);
    this.SUBRULE(this.aliasedRelation);
    this.OPTION3(() => {
      this.CONSUME(Kw.WITHIN);
      this.SUBRULE(this.withinExpression);
    });
    this.CONSUME(Kw.ON);
    this.SUBRULE(this.expression);
  });

  public withinExpression = this.RULE('withinExpression', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.duration, { LABEL: 'before' });
          this.CONSUME(Comma);
          this.SUBRULE2(this.duration, { LABEL: 'after' });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE3(this.duration, { LABEL: 'size' }) },
    ]);
    this.OPTION(() => this.SUBRULE(this.gracePeriod));
  });

  public windowExpression = this.RULE('windowExpression', () => {
    this.OPTION(() => this.CONSUME(Identifier, { LABEL: 'windowName' }));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.TUMBLING);
          this.CONSUME(LParen);
          this.CONSUME(Kw.SIZE);
          this.SUBRULE(this.duration, { LABEL: 'size' });
          this.SUBRULE(this.windowOptions);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.HOPPING);
          this.CONSUME2(LParen);
          this.CONSUME2(Kw.SIZE);
          this.SUBRULE2(this.duration, { LABEL: 'size' });
          this.CONSUME(Comma);
          this.CONSUME(Kw.ADVANCE);
          this.CONSUME(Kw.BY);
          this.SUBRULE3(this.duration, { LABEL: 'advance' });
          this.SUBRULE2(this.windowOptions);
          this.CONSUME2(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.SESSION);
          this.CONSUME3(LParen);
          this.SUBRULE4(this.duration, { LABEL: 'size' });
          this.SUBRULE3(this.windowOptions);
          this.CONSUME3(RParen);
        },
      },
    ]);
  });

  /** The optional `, RETENTION n unit` and `, GRACE PERIOD n unit` of a window, in that order. */
  public windowOptions = this.RULE('windowOptions', () => {
    this.OPTION(() => {
      this.CONSUME(Comma);
      this.CONSUME(Kw.RETENTION);
      this.SUBRULE(this.duration, { LABEL: 'retention' });
    });
    this.OPTION2(() => {
      this.CONSUME2(Comma);
      this.SUBRULE(this.gracePeriod);
    });
  });

  public gracePeriod = this.RULE('gracePeriod', () => {
    this.CONSUME(Kw.GRACE);
    this.CONSUME(Kw.PERIOD);
    this.SUBRULE(this.duration);
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
   * directly before a number is part of the literal (`-2147483648` is an INT).
   */
  public unaryExpression = this.RULE('unaryExpression', () => {
    this.OR([
      {
        GATE: () => this.is(this.LA(1), Minus) && this.isNumberToken(this.LA(2)),
        ALT: () => this.SUBRULE(this.number),
        IGNORE_AMBIGUITIES: true,
      },
      {
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
                    { ALT: () => this.SUBRULE(this.identifier, { LABEL: 'field' }) },
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
    this.SUBRULE(this.identifier, { LABEL: 'name' });
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
            this.SUBRULE2(this.identifier, { LABEL: 'qualified' });
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
    this.SUBRULE(this.identifier);
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

  public sourceName = this.RULE('sourceName', () => {
    this.SUBRULE(this.identifier);
  });

  public identifier = this.RULE('identifier', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(NonReserved) },
      { ALT: () => this.CONSUME(BackQuotedIdentifier) },
      { ALT: () => this.CONSUME(QuotedIdentifier) },
      { ALT: () => this.CONSUME(DigitIdentifier) },
      { ALT: () => this.CONSUME(Variable) },
    ]);
  });

  // ---------------------------------------------------------------- gates

  private isIdentifierToken(token: IToken): boolean {
    return (
      this.is(token, Identifier) ||
      this.is(token, NonReserved) ||
      this.is(token, BackQuotedIdentifier) ||
      this.is(token, QuotedIdentifier) ||
      this.is(token, DigitIdentifier) ||
      this.is(token, Variable)
    );
  }

  private isNumberToken(token: IToken): boolean {
    return (
      this.is(token, IntegerLiteral) || this.is(token, DecimalLiteral) || this.is(token, FloatingPointLiteral)
    );
  }

  /** Whether the next tokens start a clause that may follow `FROM source`, not an alias. */
  private startsClauseAfterRelation(first: IToken, second: IToken): boolean {
    if (this.is(first, Kw.EMIT)) return this.is(second, Kw.CHANGES) || this.is(second, Kw.FINAL);
    if (this.is(first, Kw.PARTITION)) return this.is(second, Kw.BY);
    return false;
  }

  private endsAlterOption(token: IToken): boolean {
    return this.is(token, Comma) || this.is(token, Semicolon) || this.is(token, EOF);
  }

  /** Non-reserved keywords that start a statement, when EXPLAIN must tell them from a query id. */
  private startsStatement(first: IToken, second: IToken): boolean {
    if (this.is(first, Kw.SHOW)) return !this.is(second, EOF) && !this.is(second, Semicolon);
    return [Kw.SET, Kw.ALTER, Kw.DEFINE, Kw.UNDEFINE, Kw.EXPLAIN, Kw.ASSERT, Kw.PAUSE, Kw.RESUME].some(
      (kw) => this.is(first, kw) && !this.is(second, EOF) && !this.is(second, Semicolon),
    );
  }
}
