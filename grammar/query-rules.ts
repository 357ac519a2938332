/**
 * Grammar, part 2 of 3: the SELECT query (select items, FROM with joins, WINDOW, WHERE,
 * GROUP BY, PARTITION BY, HAVING, ORDER BY, EMIT, LIMIT).
 */
import type { IToken } from 'chevrotain';
import { ExpressionRules } from './expression-rules.js';
import { AnyIdentifier, Asterisk, Comma, Dot, Identifier, Kw, LParen, RParen } from './tokens.js';

export class QueryRules extends ExpressionRules {
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
    this.OPTION8(() => {
      this.CONSUME(Kw.ORDER);
      this.CONSUME3(Kw.BY, { LABEL: 'orderByBy' });
      this.SUBRULE(this.sortItem);
      this.MANY2(() => {
        this.CONSUME2(Comma);
        this.SUBRULE2(this.sortItem);
      });
    });
    this.OPTION6(() => {
      this.CONSUME(Kw.EMIT);
      this.OR([{ ALT: () => this.CONSUME(Kw.CHANGES) }, { ALT: () => this.CONSUME(Kw.FINAL) }]);
    });
    this.OPTION7(() => this.SUBRULE(this.limitClause));
  });

  /** `expression [ASC | DESC] [NULLS FIRST | NULLS LAST]`: one key of ORDER BY. */
  public sortItem = this.RULE('sortItem', () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(Kw.ASC, { LABEL: 'ordering' }) },
        { ALT: () => this.CONSUME(Kw.DESC, { LABEL: 'ordering' }) },
      ]);
    });
    this.OPTION2(() => {
      this.CONSUME(Kw.NULLS);
      this.OR2([
        { ALT: () => this.CONSUME(Kw.FIRST, { LABEL: 'nullOrdering' }) },
        { ALT: () => this.CONSUME(Kw.LAST, { LABEL: 'nullOrdering' }) },
      ]);
    });
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
          this.CONSUME(AnyIdentifier, { LABEL: 'allColumnsOf' });
          this.CONSUME(Dot);
          this.CONSUME2(Asterisk);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.OPTION2(() => this.CONSUME(Kw.AS));
            this.CONSUME2(AnyIdentifier, { LABEL: 'alias' });
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
    this.CONSUME(AnyIdentifier);
    this.OPTION({
      GATE: () => !this.startsClauseAfterRelation(this.LA(1), this.LA(2)),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(Kw.AS));
        this.CONSUME2(AnyIdentifier, { LABEL: 'alias' });
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

  // ---------------------------------------------------------------- gates

  /** Whether the next tokens start a clause that may follow `FROM source`, not an alias. */
  protected startsClauseAfterRelation(first: IToken, second: IToken): boolean {
    if (this.is(first, Kw.EMIT)) return this.is(second, Kw.CHANGES) || this.is(second, Kw.FINAL);
    if (this.is(first, Kw.PARTITION) || this.is(first, Kw.ORDER)) return this.is(second, Kw.BY);
    return false;
  }
}
