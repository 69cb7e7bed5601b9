"""task notes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('task_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_note_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_note'))
    )
    with op.batch_alter_table('task_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_note_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_note_task_id'))

    op.drop_table('task_note')
