/**
 * ksqlDB's SQL grammar as a chevrotain CstParser: rules only, no semantics.
 *
 * The grammar is split by layer, each class extending the one below so that statement rules
 * can use every query and expression rule:
 *   expression-rules.ts  expressions, types, literals, names
 *   query-rules.ts       SELECT
 *   parser.ts            statements (this file); its constructor runs chevrotain's analysis
 * Where ksqlDB's ANTLR grammar relies on unbounded lookahead (a non-reserved keyword that may
 * be a name or start the next clause), a GATE looks at the next tokens instead.
 */
import { EOF, type IParserErrorMessageProvider, type IToken } from 'chevrotain';
import { QueryRules } from './query-rules.js';
import {
  AnyIdentifier,
  Comma,
  Equals,
  Kw,
  LParen,
  RParen,
  Semicolon,
  StringLiteral,
  Variable,
} from './tokens.js';

export class SqlParser extends QueryRules {
  /** `errorMessageProvider` lets the caller word (or record) recognition errors its own way. */
  constructor(options: { errorMessageProvider?: IParserErrorMessageProvider } = {}) {
    super({
      maxLookahead: 2,
      nodeLocationTracking: 'onlyOffset',
      ...(options.errorMessageProvider === undefined
        ? {}
        : { errorMessageProvider: options.errorMessageProvider }),
    });
    this.performSelfAnalysis();
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
          this.CONSUME(AnyIdentifier);
        },
        IGNORE_AMBIGUITIES: true,
      },
      {
        ALT: () => {
          this.CONSUME(Kw.CONNECTOR);
          this.CONSUME2(AnyIdentifier);
        },
      },
      {
        ALT: () => {
          this.CONSUME3(AnyIdentifier);
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
    this.OR2([{ ALT: () => this.CONSUME(Kw.ALL) }, { ALT: () => this.CONSUME(AnyIdentifier) }]);
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
          this.CONSUME(AnyIdentifier);
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
    this.CONSUME(AnyIdentifier);
    this.SUBRULE(this.type);
  });

  public defineStatement = this.RULE('defineStatement', () => {
    this.CONSUME(Kw.DEFINE);
    this.CONSUME(AnyIdentifier);
    this.CONSUME(Equals);
    this.CONSUME(StringLiteral);
  });

  public undefineStatement = this.RULE('undefineStatement', () => {
    this.CONSUME(Kw.UNDEFINE);
    this.CONSUME(AnyIdentifier);
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
          this.CONSUME(AnyIdentifier);
          this.SUBRULE(this.withProperties);
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(Kw.SOURCE));
          this.OR3([{ ALT: () => this.CONSUME(Kw.STREAM) }, { ALT: () => this.CONSUME(Kw.TABLE) }]);
          this.SUBRULE2(this.ifNotExists);
          this.CONSUME2(AnyIdentifier);
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
          this.CONSUME3(AnyIdentifier);
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
    this.CONSUME(AnyIdentifier);
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
    this.CONSUME(AnyIdentifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(AnyIdentifier);
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
          this.CONSUME(AnyIdentifier);
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
          this.CONSUME2(AnyIdentifier);
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
      { ALT: () => this.CONSUME(AnyIdentifier), IGNORE_AMBIGUITIES: true },
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
      // The statements of ksqlDB's SQL testing tool; the AST builder accepts them only when
      // asked to (ParseOptions.testStatements), like ksqlDB's `testStatement` rule.
      { ALT: () => this.SUBRULE(this.assertRows) },
      { ALT: () => this.SUBRULE(this.assertSourceShape) },
    ]);
  });

  /** `[NULL] VALUES source [(columns)] VALUES|KEY (...)` after ASSERT. */
  public assertRows = this.RULE('assertRows', () => {
    this.OPTION(() => this.CONSUME(Kw.NULL, { LABEL: 'tombstone' }));
    this.CONSUME(Kw.VALUES, { LABEL: 'assertValues' });
    this.CONSUME(AnyIdentifier);
    this.OPTION2(() => this.SUBRULE(this.columnList));
    this.OR([{ ALT: () => this.CONSUME2(Kw.VALUES) }, { ALT: () => this.CONSUME(Kw.KEY) }]);
    this.SUBRULE(this.valueList);
  });

  /** `STREAM|TABLE source [(columns)] [WITH (...)]` after ASSERT. */
  public assertSourceShape = this.RULE('assertSourceShape', () => {
    this.OR([
      { ALT: () => this.CONSUME(Kw.STREAM, { LABEL: 'assertSource' }) },
      { ALT: () => this.CONSUME(Kw.TABLE, { LABEL: 'assertSource' }) },
    ]);
    this.CONSUME(AnyIdentifier);
    this.OPTION(() => this.SUBRULE(this.tableElements));
    this.OPTION2(() => this.SUBRULE(this.withProperties));
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
    this.OR([{ ALT: () => this.CONSUME(AnyIdentifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
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
    this.CONSUME(AnyIdentifier);
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
    this.OR([{ ALT: () => this.CONSUME(AnyIdentifier) }, { ALT: () => this.CONSUME(StringLiteral) }]);
    this.CONSUME(Equals);
    this.SUBRULE(this.literal);
  });

  // ---------------------------------------------------------------- gates

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
