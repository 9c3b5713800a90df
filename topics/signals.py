"""What happened in topics, for apps that build on topics (notifications) to react to.

Topics does not import the apps that use it; they listen here. The actions send these
inside their transaction, so a receiver's writes commit or roll back with the action.
"""

from django.dispatch import Signal

# post, mentioned_ids: a new topic's first post or a reply was published.
post_published = Signal()
# post, mentioned_ids: a post was edited; mentioned_ids are the members it newly mentions.
post_edited = Signal()
# topic, post, by: a reply was marked as the answer to a question.
answer_accepted = Signal()
# user, topic, position: the member has seen the topic up to `position`.
topic_read = Signal()
# source, target, by: a moderator merged `source` into `target`, inside the merge's transaction;
# whatever belongs to the source topic follows it (followup's action items).
topics_merged = Signal()
# bookmark: a member set (or moved) a bookmark's reminder, inside the action's transaction;
# whoever sends reminders queues one for `bookmark.remind_at` once it commits.
bookmark_reminder_set = Signal()
